"""Small, pure text rules: each does one thing, and has a hand-written test.

Each rule is a function ``str -> str`` (or ``(str, str) -> str`` where it needs the
title), tested in ``tests/test_clean_rules.py``. :func:`clean_article` and
:func:`clean_headline` compose them for the two kinds of text the corpus holds;
:func:`text_features` adds the columns every document carries (language, tokens,
whether it reports anything). The collection transforms in
:mod:`analysis.corpus.articles` and :mod:`analysis.corpus.events` apply them.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import ftfy
import pandas as pd

from analysis.params import LanguageParams

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")


def fix_unicode(text: str) -> str:
    r"""Undo HTML entities and mojibake, straighten quotes, drop invisible marks, collapse spaces.

    >>> fix_unicode("Al-Fu&#8217;ah\u00a0town â€œsiegeâ€\x9d")
    'Al-Fu\'ah town "siege"'
    """
    text = html.unescape(html.unescape(text))  # some headlines are escaped twice
    text = ftfy.fix_text(text, uncurl_quotes=True, normalization="NFKC")
    text = text.translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?"
_TIME = r"(?:(?:at\ )?\d{1,2}[:.]?\d{2}(?:\ ?(?:GMT|KSA|AM|PM|am|pm))?)"
_DATE_PREFIX = re.compile(
    rf"""^(?:Published|Posted\ on|Last\ updated(?:\ at)?|Updated|Date\ of\ publication)?\s*
    (?:{_WEEKDAY}\s*)?
    (?:
        \d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}          # 05 Apr 2017
      | {_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{4}}         # April 2 2017, Jul 012016
      | \d{{1,2}}[./-]\d{{1,2}}[./-]\d{{4}}(?:\s*\([^)]*\))?        # 24.08.2013 (updated ...)
    )
    (?:\s*{_TIME})?\s*[:,.-]?\s*""",
    re.VERBOSE,
)


def strip_date_prefix(text: str) -> str:
    """Remove a leading weekday-and-date stamp ("Wed 05 Apr 2017", "Published April 2 2017").

    >>> strip_date_prefix("Fri 07 Apr 2017 at 0914 Homs governor says")
    'Homs governor says'
    """
    return _DATE_PREFIX.sub("", text, count=1)


_BYLINE = re.compile(r"^by (?:[A-Z][\w.'-]*\s){1,3}(?:(?:and\s)?(?:[A-Z][\w.'-]*\s){1,3}){0,3}?English\s+")
# Sputnik's page header: "[section ... time] DD.MM.YYYY(updated ...) Get short URL 0 55"
_GET_SHORT_URL = re.compile(r"^(?:.{0,120}?\d{2}\.\d{2}\.\d{4}\s*(?:\([^)]*\))?\s*)?Get short URL(?:\s+\d+)*\s*")


def strip_byline(text: str) -> str:
    """Remove a leading byline left after the date ("by Asharq Al-Awsat English ...").

    Only bylines that end in a recognisable marker are removed, so a sentence that merely
    starts with "by" is kept.

    >>> strip_byline("by Asharq Al-Awsat English Six Killed in Aleppo")
    'Six Killed in Aleppo'
    """
    text = _GET_SHORT_URL.sub("", text)
    return _BYLINE.sub("", text, count=1)


def loose_text(text: str) -> str:
    """Lower-case letters and digits only: what two copies of a text share despite punctuation.

    >>> loose_text("Syria's war: day 1")
    'syriaswarday1'
    """
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def strip_title_repeat(text: str, title: str) -> str:
    """Remove the title when the text starts by repeating it (punctuation and case ignored).

    A text that is nothing but its title is left as it is.

    >>> strip_title_repeat("Car bomb kills four in Damascus. A car bomb has killed", "Car bomb kills four in Damascus")
    'A car bomb has killed'
    """
    target = loose_text(title)
    if len(target) < 10 or not loose_text(text[: len(title) + 20]).startswith(target):
        return text
    # walk the text until its alphanumerics cover the title's
    seen = 0
    for i, ch in enumerate(text):
        if ch.isascii() and ch.isalnum():
            seen += 1
            if seen == len(target):
                rest = text[i + 1 :].lstrip(" .:-|")
                return rest if count_tokens(rest) >= 3 else text
    return text


_TRAILERS = [
    re.compile(p)
    for p in (
        r"\s*Community standards\s*Discussion.*$",  # Sputnik comment widget
        r"\s*Our Standards: ?The Thomson Reuters Trust Principles\.?\s*$",
        r"\s*\(Source: [^)]*\)\s*Twitter\s*$",  # Etilaf
        r"\s*Source TRTWorld and agencies(?:\s+Related News.*)?$",
        r"\s*Last Update: .*$",  # Al Arabiya
        r"\s*This article is an edited translation (?:from|of) .*$",  # Al-Araby
        r"\s*Related News .*$",
        r"\s*Read more:? .*$",
    )
]
_TAGS = re.compile(r"\s*(?:\.\.\.\s*)?(?:\d+\s+)*Tags\s+(?P<tags>.*?)(?=(?:\s(?:The|A|An)\s)|\.\s|$)")
_PRINT_BLOCK = re.compile(r"\s*(?:Print\s+)?Tweet\s+Views\s+\d+(?:\s+Related\s+)?")


def strip_debris(text: str, title: str = "") -> str:
    """Remove page furniture: comment widgets, "Tags ..." lists, "Related ..." blocks, trailers.

    A "Print Tweet Views N Related ..." block (Al-Ahram) runs up to the repeated title, so
    it is removed through that title when the title is known.

    >>> strip_debris("Rebels shelled the town. Tags Syria Aleppo The army said", "")
    'Rebels shelled the town. The army said'
    """
    for pattern in _TRAILERS:
        text = pattern.sub("", text)
    match = _PRINT_BLOCK.search(text)
    if match:
        rest = text[match.end() :]
        at = rest.find(title) if len(title) >= 10 else -1
        text = text[: match.start()] + " " + (rest[at + len(title) :].lstrip(" -") if at >= 0 else rest)
    text = _TAGS.sub(lambda m: " " if m.group(0).rstrip().endswith(".") else "", text)
    return _SPACES.sub(" ", text).strip()


_HEADLINE_MARKERS = re.compile(
    r"^(?:(?:CORRECTED|REFILE|UPDATE\s*\d*|WRAPUP\s*\d*|RPT|INSIGHT|EXCLUSIVE|ANALYSIS|FACTBOX|TOPSHOTS)"
    r"\s*[-:]?\s*(?:\((?:OFFICIAL|[A-Z ]+)\)\s*-?\s*)?)+"
)
_AIRWARS_DATE = re.compile(rf"^{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\s*[:-]\s*")
_AIRWARS_CODE = re.compile(r"\s*\((?:[A-Z]{1,3}\d{2,5}[a-z]?|[A-Z]{1,3}-?\d{2,5}[a-z]?)\)\s*")


def strip_headline_markers(headline: str) -> str:
    """Remove wire and photo-desk prefixes, Airwars dates and incident codes from a headline.

    >>> strip_headline_markers("CORRECTED-UPDATE 3-Baghdad blast kills 52")
    'Baghdad blast kills 52'
    >>> strip_headline_markers("April 2nd 2017: (I468) Yarmouk neighborhood, West Mosul")
    'Yarmouk neighborhood, West Mosul'
    """
    headline = _HEADLINE_MARKERS.sub("", headline)
    headline = _AIRWARS_DATE.sub("", headline)
    headline = _AIRWARS_CODE.sub(" ", headline)
    return headline.strip(" -:")


_NON_LATIN = re.compile(
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u0400-\u04ff][\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u0400-\u04ff\s\u064b-\u065f]*"
)


def split_non_latin(text: str) -> tuple[str, list[str]]:
    """Separate runs of Arabic, Hebrew or Cyrillic script from the (English) text.

    The runs are detected by Unicode script, not guessed; they are returned so the caller
    can count them, and removed from the text so that English tokenisers see English.

    >>> split_non_latin("(I468) اليرموك Yarmouk neighborhood")
    ('(I468) Yarmouk neighborhood', ['اليرموك'])
    """
    fragments = [m.group(0).strip() for m in _NON_LATIN.finditer(text) if m.group(0).strip()]
    if not fragments:
        return text, []
    return _SPACES.sub(" ", _NON_LATIN.sub(" ", text)).strip(), fragments


_TOKEN = re.compile(r"\w+", re.UNICODE)


def count_tokens(text: str) -> int:
    """Count word tokens (runs of letters, digits or underscores).

    >>> count_tokens("Ten civilians killed in al-Bab")
    6
    """
    return len(_TOKEN.findall(text))


# Words that a bare place description is made of: no verb, no event.
_PLACE_WORDS = frozenset(
    """
    a al an and area areas around at between city countryside district east eastern el governorate
    in island jabal neighborhood neighbourhood neighbourhoods neighborhoods near north northern
    northeast northwest of old outskirts province region road rural south southern southeast
    southwest sub subdistrict the to town towns village villages west western
    """.split()
)


def is_informative(text: str) -> bool:
    """Say whether a text reports anything: False for a bare code or a bare place name.

    A text is uninformative when every lower-case word in it is a geographic filler word
    (province, district, of, the ...) and the rest are capitalised names or codes. A first
    word ending in -ing or -ed ("Shelling ...", "Killed ...") counts as a lower-case word.

    >>> is_informative("Eastern Mosul, Nineveh province, Iraq")
    False
    >>> is_informative("R3654")
    False
    >>> is_informative("Airstrikes hit Eastern Mosul")
    True
    """
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    content = [w for w in words if w[0].islower() and w.lower() not in _PLACE_WORDS]
    # a headline's first word is capitalised by position: "Shelling the countryside of Aleppo"
    if words and words[0].lower().endswith(("ing", "ed")) and words[0].lower() not in _PLACE_WORDS:
        content.append(words[0])
    capitalised = [w for w in words if w[0].isupper() and w.lower() not in _PLACE_WORDS]
    # a headline in Title Case has no lower-case verbs; needs several names to be a sentence
    return bool(content) or len(capitalised) >= 6


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, *, params: LanguageParams) -> str:
    """Return the ISO 639-1 code py3langid assigns, or ``"und"`` when it is not confident.

    Texts shorter than ``params.min_tokens`` or with a normalised probability below
    ``params.min_probability`` get ``"und"`` (undetermined) rather than a guess.
    """
    if count_tokens(text) < params.min_tokens:
        return "und"
    lang, prob = _identifier().classify(text)
    return lang if prob >= params.min_probability else "und"


def clean_article(text: str, *, title: str) -> str:
    """Apply the article rules in order: Unicode, date stamp, byline, title repeat, debris."""
    text = fix_unicode(text)
    title = fix_unicode(title)
    for _ in range(2):  # "Posted on DATE by X English TITLE" needs date, byline, title in turn
        text = strip_title_repeat(strip_byline(strip_date_prefix(text)), title)
    return strip_debris(text, title)


def clean_headline(headline: str) -> str:
    """Apply the headline rules: Unicode, wire and photo-desk prefixes, Airwars codes."""
    return strip_headline_markers(fix_unicode(headline))


def text_features(documents: pd.DataFrame, *, language: LanguageParams) -> pd.DataFrame:
    """Remove non-Latin script runs from ``text`` and add the text columns every document carries.

    Returns
    -------
    DataFrame
        ``documents`` with ``text`` (script runs removed), ``n_non_english_fragments``,
        ``language``, ``informative`` and ``n_tokens``.
    """
    split = documents["text"].map(split_non_latin)
    text = split.map(lambda x: x[0])
    return documents.assign(
        text=text,
        n_non_english_fragments=split.map(lambda x: len(x[1])).astype("int64"),
        language=text.map(lambda t: detect_language(t, params=language)),
        informative=text.map(is_informative),
        n_tokens=text.map(count_tokens).astype("int64"),
    )
