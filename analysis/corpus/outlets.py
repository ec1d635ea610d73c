"""Outlet names: one canonical spelling per outlet across FA-KES and UCDP sources."""

from __future__ import annotations

import re

# FA-KES codes and UCDP spelling variants -> canonical outlet name. Keys are matched after
# lower-casing and removing everything but letters and digits.
_ALIASES = {
    # FA-KES `source` codes
    "ahram": "Al-Ahram",
    "alalam": "Al-Alam",
    "alaraby": "Al-Araby Al-Jadeed",
    "arabiya": "Al Arabiya",
    "asharqalawsat": "Asharq Al-Awsat",
    "dailysabah": "Daily Sabah",
    "etilaf": "Syrian Coalition (Etilaf)",
    "jordantimes": "Jordan Times",
    "manar": "Al-Manar",
    "nna": "National News Agency (Lebanon)",
    "reuters": "Reuters",
    "sana": "SANA",
    "sputnik": "Sputnik",
    "tass": "TASS",
    "trt": "TRT World",
    # UCDP `source_office` variants
    "reutersnews": "Reuters",
    "thomsonreuters": "Reuters",
    "agencefrancepresse": "AFP",
    "afp": "AFP",
    "airwars": "Airwars",
    "airwarsorg": "Airwars",
    "airwarsjanuray1st": "Airwars",  # a date typed into the office field
    "syrialiveumap": "Liveuamap",
    "associatedpressnewswires": "Associated Press",
    "sdfpresscenter": "SDF Press Office",
    "soh": "SOHR",  # truncated spellings of the Syrian Observatory
    "ohr": "SOHR",
    "sn4hr": "SNHR",
    "snhr": "SNHR",
    "aljazeeraenglish": "Al Jazeera",
    "aljazeera": "Al Jazeera",
    "syrialivemap": "Liveuamap",
    "httpsyrialiveuamapcom": "Liveuamap",
    "syrialiveuamapcom": "Liveuamap",
    "syrialiveuamap": "Liveuamap",
    "syriaualive": "Liveuamap",
    "liveuamap": "Liveuamap",
    "hrw": "Human Rights Watch",
    "humanrightswatch": "Human Rights Watch",
    "sohr": "SOHR",
    "syrianobservatoryforhumanrights": "SOHR",
    "vdc": "VDC",
    "violationsdocumentationcenter": "VDC",
    "sdfpressoffice": "SDF Press Office",
    "sdfmediacenter": "SDF Press Office",
    "farsnewsagency": "Fars News Agency",
    "sputniknewsservice": "Sputnik",
    "sputniknews": "Sputnik",
    "almasdarnews": "Al-Masdar News",
    "associatedpress": "Associated Press",
    "ap": "Associated Press",
    "xinhuanewsagency": "Xinhua",
    "xinhua": "Xinhua",
}
_BBC = re.compile(r"^bbcmonitoring")


def normalise_outlet(name: str | None) -> str:
    """Return the canonical outlet name for a FA-KES code or a UCDP ``source_office`` entry.

    BBC Monitoring's regional desks are one outlet; unknown names are returned stripped,
    with their spelling kept.

    >>> normalise_outlet("Air Wars"), normalise_outlet("BBC Monitoring Middle East")
    ('Airwars', 'BBC Monitoring')
    """
    if name is None:
        return ""
    key = re.sub(r"[^0-9a-z]+", "", name.lower())
    if key in _ALIASES:
        return _ALIASES[key]
    if _BBC.match(key):
        return "BBC Monitoring"
    return " ".join(name.split())
