"""Small, pure cleaning rules and the per-collection transforms built from them.

Each text rule is a function ``str -> str`` (or ``(str, str) -> str`` where it
needs the title) that does one thing and is tested on a hand-written case in
``tests/test_clean_rules.py``. The collection transforms apply them row by row,
so they can run on any chunk of a corpus; the only whole-corpus steps are the
FA-KES merge of repeated articles (:func:`merge_repeated_articles`) and
near-duplicate grouping (:mod:`analysis.dedupe`).

Drop and merge reasons written to the ledger are the constants ``R_*`` below.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from functools import lru_cache

import ftfy
import numpy as np
import pandas as pd

from analysis.outlets import normalise_outlet
from analysis.params import LanguageParams, YearWindow

log = logging.getLogger(__name__)

# Ledger fates and reasons ------------------------------------------------------------
KEPT, MERGED, DROPPED = "kept", "merged", "dropped"
R_KEPT = "kept"
R_KEPT_REPEATED_ID = "repeated_id_distinct_text"  # FA-KES id reused for a different article
R_HXL = "hxl_tag_row"  # HDX's second header row of #tags
R_WINDOW = "outside_study_window"
R_MALFORMED = "malformed_row"  # wrong number of fields (e.g. a truncated line)
R_EMPTY = "empty_text"
R_TOO_LONG = "text_too_long"
R_BAD_DATE = "unparseable_date"
R_MISSING_ID = "missing_id"
R_REPEATED_ARTICLE = "repeated_article"  # same FA-KES text again: merged
R_DUPLICATE_ROW = "duplicate_row"  # the same UCDP event row again: merged
R_DUPLICATE_ID = "duplicate_id_conflict"  # a UCDP id reused for a different event: dropped

LEDGER_COLUMNS = ["collection", "source_file", "row", "source_id", "fate", "reason", "doc_id"]

# Text rules ----------------------------------------------------------------------------
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


def _loose(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def strip_title_repeat(text: str, title: str) -> str:
    """Remove the title when the text starts by repeating it (punctuation and case ignored).

    A text that is nothing but its title is left as it is.

    >>> strip_title_repeat("Car bomb kills four in Damascus. A car bomb has killed", "Car bomb kills four in Damascus")
    'A car bomb has killed'
    """
    target = _loose(title)
    if len(target) < 10 or not _loose(text[: len(title) + 20]).startswith(target):
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


# Collection transforms -------------------------------------------------------------------
def _ledger(frame: pd.DataFrame, *, fate: str, reason: str | pd.Series, doc_id: pd.Series | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "collection": frame["collection"].to_numpy(),
            "source_file": frame["source_file"].to_numpy(),
            "row": frame["row"].to_numpy(dtype="int64"),
            "source_id": frame["source_id"].to_numpy(),
            "fate": fate,
            "reason": reason if isinstance(reason, str) else reason.to_numpy(),
            "doc_id": None if doc_id is None else doc_id.to_numpy(),
        },
        columns=LEDGER_COLUMNS,
    )


def _drop(frame: pd.DataFrame, mask: pd.Series, reason: str, ledger: list[pd.DataFrame]) -> pd.DataFrame:
    """Move the rows under ``mask`` to the ledger as dropped for ``reason``; return the rest."""
    mask = mask.fillna(False).astype(bool)
    if mask.any():
        ledger.append(_ledger(frame[mask], fate=DROPPED, reason=reason, doc_id=None))
        log.info("%s: dropped %d row(s): %s", frame["source_file"].iloc[0], int(mask.sum()), reason)
    return frame[~mask]


def make_doc_id(collection: str, source_id: str) -> str:
    """Return the stable document id ``collection:source_id``."""
    return f"{collection}:{source_id}"


def fakes_documents(
    raw: pd.DataFrame, *, max_text_chars: int, language: LanguageParams
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean FA-KES article rows into documents (one per article, repeats merged).

    The composition of :func:`fakes_rows` (row-local), :func:`merge_repeated_articles`
    (whole collection) and :func:`fakes_finish` (row-local); a partitioned engine runs the
    same three steps with the merge planned on compact keys.

    Parameters
    ----------
    raw : DataFrame
        Output of :func:`analysis.readers.read_fakes`.
    max_text_chars : int
        Texts longer than this are dropped (``text_too_long``).
    language : LanguageParams
        Thresholds for :func:`detect_language`.

    Returns
    -------
    documents : DataFrame
        One row per article, columns of :data:`analysis.schema.DOCUMENT_COLUMNS` except
        ``text_group`` and ``sealed`` (set later, on the whole corpus), plus ``members``:
        the source ids merged into the document.
    ledger : DataFrame
        One row per input row, columns :data:`LEDGER_COLUMNS`.
    """
    frame, ledger = fakes_rows(raw, max_text_chars=max_text_chars)
    documents, merges = merge_repeated_articles(frame)
    return fakes_finish(documents, language=language), pd.concat([ledger, merges], ignore_index=True)


def fakes_rows(raw: pd.DataFrame, *, max_text_chars: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop unusable FA-KES rows and clean the rest (row-local: runs on any chunk).

    Returns
    -------
    rows : DataFrame
        The surviving rows with ``published``, ``title``, ``text``, ``credibility`` and
        ``merge_key`` (a hash of the loosely normalised text; equal texts share it).
    ledger : DataFrame
        The dropped rows, columns :data:`LEDGER_COLUMNS`.
    """
    ledger: list[pd.DataFrame] = [_ledger(raw.iloc[:0], fate=DROPPED, reason=R_EMPTY, doc_id=None)]
    frame = _drop(raw, raw["is_malformed"], R_MALFORMED, ledger)
    frame = _drop(frame, frame["source_id"].str.strip() == "", R_MISSING_ID, ledger)
    frame = _drop(frame, frame["text_raw"].str.strip() == "", R_EMPTY, ledger)
    frame = _drop(frame, frame["text_raw"].str.len() > max_text_chars, R_TOO_LONG, ledger)
    published = pd.to_datetime(frame["date_raw"], format="%m/%d/%Y", errors="coerce")
    frame = frame.assign(published=published)
    frame = _drop(frame, frame["published"].isna(), R_BAD_DATE, ledger)

    title = frame["title_raw"].map(fix_unicode).astype(object)
    text = [clean_article(t, title=ti) for t, ti in zip(frame["text_raw"], frame["title_raw"], strict=True)]
    frame = frame.assign(title=title.to_numpy(), text=pd.Series(text, index=frame.index, dtype=object))
    frame = _drop(frame, frame["text"].str.strip() == "", R_EMPTY, ledger)
    credibility = pd.to_numeric(frame["credibility_raw"], errors="coerce")
    frame = frame.assign(
        credibility=credibility.astype("Int8"), merge_key=frame["text"].map(lambda t: _digest(_loose(t)))
    )
    return frame, pd.concat(ledger, ignore_index=True)


def fakes_finish(documents: pd.DataFrame, *, language: LanguageParams) -> pd.DataFrame:
    """Give merged FA-KES documents their fixed columns and text features (row-local)."""
    documents = documents.assign(
        collection="fakes",
        outlet=documents["outlet_raw"].map(normalise_outlet),
        event_date=pd.NaT,
        country="Syria",
        admin1=None,
        location=documents["location_raw"].str.strip().str.title(),
        latitude=np.nan,
        longitude=np.nan,
        deaths_best=pd.NA,
        deaths_low=pd.NA,
        deaths_high=pd.NA,
        n_reports=1,
    )
    return _finish_documents(documents, language=language)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def repeated_article_plan(keys: pd.DataFrame) -> pd.DataFrame:
    """Plan the merge of FA-KES rows that repeat an article, from compact keys alone.

    The first row of each ``merge_key`` (in file order) becomes the document; later rows
    merge into it. Credibility is kept where all merged rows agree and set to null where
    they disagree. A reused ``source_id`` with a different text keeps its own document,
    with ``~2``, ``~3`` ... appended to its doc_id.

    Parameters
    ----------
    keys : DataFrame
        ``row``, ``source_id``, ``merge_key``, ``credibility`` of every surviving row of
        the collection (from any number of chunks).

    Returns
    -------
    DataFrame
        Indexed by ``row``: ``doc_id``, ``first`` (the row becomes the document),
        ``occurrence`` (1 unless the id was reused), ``members`` (``;``-joined source ids)
        and ``credibility`` (reconciled, for first rows).
    """
    frame = keys.sort_values("row", kind="stable").reset_index(drop=True)
    first = ~frame["merge_key"].duplicated(keep="first")
    kept = frame[first]
    occurrence = kept.groupby("source_id").cumcount() + 1
    kept_doc = [
        make_doc_id("fakes", sid) + (f"~{n}" if n > 1 else "")
        for sid, n in zip(kept["source_id"], occurrence, strict=True)
    ]
    doc_of_key = pd.Series(kept_doc, index=kept["merge_key"].to_numpy())
    doc_id = frame["merge_key"].map(doc_of_key)
    agree = frame.groupby(doc_id.to_numpy())["credibility"].agg(lambda s: s.nunique(dropna=True) <= 1)
    members = frame.groupby(doc_id.to_numpy())["source_id"].agg(lambda s: ";".join(dict.fromkeys(s)))
    plan = pd.DataFrame(
        {
            "row": frame["row"].to_numpy(),
            "doc_id": doc_id.to_numpy(),
            "first": first.to_numpy(),
            "occurrence": occurrence.reindex(frame.index, fill_value=1).to_numpy(),
            "members": doc_id.map(members).to_numpy(),
            "credibility": frame["credibility"].where(doc_id.map(agree).to_numpy().astype(bool), pd.NA).to_numpy(),
        }
    )
    return plan.set_index("row")


def apply_repeated_article_plan(frame: pd.DataFrame, plan: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply :func:`repeated_article_plan` to surviving rows (any chunk of them).

    Returns
    -------
    documents : DataFrame
        The rows that become documents, with ``doc_id``, ``members`` and reconciled
        ``credibility``.
    ledger : DataFrame
        Kept and merged rows, columns :data:`LEDGER_COLUMNS`.
    """
    frame = frame.sort_values("row", kind="stable")
    p = plan.loc[frame["row"].to_numpy()].set_index(frame.index)
    first = p["first"].astype(bool)
    kept = frame[first].assign(
        doc_id=p.loc[first, "doc_id"],
        members=p.loc[first, "members"],
        credibility=p.loc[first, "credibility"].astype("Int8"),
    )
    reason = pd.Series(np.where(p.loc[first, "occurrence"] > 1, R_KEPT_REPEATED_ID, R_KEPT), index=kept.index)
    ledger = pd.concat(
        [
            _ledger(kept, fate=KEPT, reason=reason, doc_id=kept["doc_id"]),
            _ledger(frame[~first], fate=MERGED, reason=R_REPEATED_ARTICLE, doc_id=p.loc[~first, "doc_id"]),
        ],
        ignore_index=True,
    )
    return kept, ledger


def merge_repeated_articles(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge FA-KES rows that carry the same article text into one document.

    A whole-collection step on the rows of :func:`fakes_rows` (which carry ``merge_key``);
    see :func:`repeated_article_plan` for the rules.

    Returns
    -------
    documents : DataFrame
        The kept rows with ``doc_id``, ``members`` (``;``-joined source ids) and the
        reconciled ``credibility``.
    ledger : DataFrame
        Kept and merged rows, columns :data:`LEDGER_COLUMNS`.
    """
    plan = repeated_article_plan(frame[["row", "source_id", "merge_key", "credibility"]])
    return apply_repeated_article_plan(frame, plan)


_SOURCE_ENTRY = re.compile(r'";"(?=[^"]*?,\d{4}-\d{2}-\d{2},)')
_ENTRY_PARTS = re.compile(r"^(?P<office>.*?),(?P<date>\d{4}-\d{2}-\d{2}),(?P<headline>.*)$", re.DOTALL)


def split_source_reports(
    source_article: str, *, office: str = "", date: str = "", headline: str = ""
) -> list[tuple[str, str, str]]:
    """Split a UCDP ``source_article`` field into ``(office, date, headline)`` entries.

    ``source_article`` holds one quoted ``"office,date,headline"`` per report, joined by
    ``;``; headlines may contain unescaped quotes and semicolons, so entries are split
    only where a ``";"`` is followed by an ``office,YYYY-MM-DD,`` start. When the field is
    empty or unparseable, the parallel ``source_office``/``source_date``/``source_headline``
    fields (``;``-joined) are used instead.

    >>> split_source_reports('"AFP,2014-01-25,Iraq violence kills 14";"SOHR,2014-01-26,Clashes; 3 dead"')
    [('AFP', '2014-01-25', 'Iraq violence kills 14'), ('SOHR', '2014-01-26', 'Clashes; 3 dead')]
    """
    body = source_article.strip()
    entries: list[tuple[str, str, str]] = []
    if body.startswith('"') and body.endswith('"'):
        for chunk in _SOURCE_ENTRY.split(body[1:-1]):
            match = _ENTRY_PARTS.match(chunk)
            if match is None:
                entries = []
                break
            entries.append((match["office"].strip(), match["date"], match["headline"].strip()))
    if entries:
        return entries
    offices, dates = office.split(";"), date.split(";")
    headlines = headline.split(";") if len(headline.split(";")) == len(dates) else [headline]
    n = max(len(offices), len(dates), len(headlines))
    pad = lambda xs: [x.strip() for x in xs] + [""] * (n - len(xs))  # noqa: E731
    return [e for e in zip(pad(offices), pad(dates), pad(headlines), strict=True) if any(e)]


def ucdp_documents(
    raw: pd.DataFrame,
    *,
    collection: str,
    window: YearWindow | None,
    max_text_chars: int,
    language: LanguageParams,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean UCDP GED event rows into documents (one per event) and reports (one per source).

    The composition of :func:`ucdp_rows` (row-local), :func:`duplicate_id_plan` (whole
    collection, on compact keys) and :func:`ucdp_build` (row-local, per event).

    Parameters
    ----------
    raw : DataFrame
        Output of :func:`analysis.readers.read_ucdp_csv` or :func:`analysis.readers.read_ucdp_rda`.
    collection : str
        ``"ucdp_iraq"`` or ``"ucdp_syria"``.
    window : YearWindow or None
        Inclusive event-year window; rows outside it are dropped (``outside_study_window``).
    max_text_chars : int
        Events whose joined headlines are longer are dropped (``text_too_long``).
    language : LanguageParams
        Thresholds for :func:`detect_language`.

    Returns
    -------
    documents : DataFrame
        One row per event: the columns of :data:`analysis.schema.DOCUMENT_COLUMNS` except
        ``text_group`` and ``sealed``.
    reports : DataFrame
        One row per source report: ``report_id``, ``doc_id``, ``collection``, ``outlet``,
        ``outlet_raw``, ``published``, ``event_date``, ``lag_days``, ``headline``,
        ``informative``.
    ledger : DataFrame
        One row per input row, columns :data:`LEDGER_COLUMNS`.
    """
    frame, ledger = ucdp_rows(raw, window=window, max_text_chars=max_text_chars)
    plan = duplicate_id_plan(frame[["row", "source_id", "payload_key"]])
    frame, duplicates = apply_duplicate_id_plan(frame, plan, collection=collection)
    documents, reports, built = ucdp_build(frame, collection=collection, language=language)
    return documents, reports, pd.concat([ledger, duplicates, built], ignore_index=True)


def ucdp_rows(
    raw: pd.DataFrame, *, window: YearWindow | None, max_text_chars: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop unusable UCDP event rows (row-local: runs on any chunk).

    Returns
    -------
    rows : DataFrame
        Surviving rows with ``event_date`` and ``payload_key`` (a hash of the row's
        content, which tells a repeated row from a reused id).
    ledger : DataFrame
        The dropped rows, columns :data:`LEDGER_COLUMNS`.
    """
    ledger: list[pd.DataFrame] = [_ledger(raw.iloc[:0], fate=DROPPED, reason=R_EMPTY, doc_id=None)]
    frame = _drop(raw, raw["is_hxl"], R_HXL, ledger)
    frame = _drop(frame, frame["is_malformed"], R_MALFORMED, ledger)
    frame = _drop(frame, frame["source_id"].str.strip() == "", R_MISSING_ID, ledger)
    event_date = pd.to_datetime(frame["date_start"].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    frame = frame.assign(event_date=event_date)
    frame = _drop(frame, frame["event_date"].isna(), R_BAD_DATE, ledger)
    if window is not None:
        year = frame["event_date"].dt.year
        outside = pd.Series(False, index=frame.index)
        if window.start_year is not None:
            outside |= year < window.start_year
        if window.end_year is not None:
            outside |= year > window.end_year
        frame = _drop(frame, outside, R_WINDOW, ledger)
    frame = _drop(frame, frame["source_article"].str.len() > max_text_chars, R_TOO_LONG, ledger)
    payload = frame.drop(columns=["row", "line", "is_hxl", "is_malformed"], errors="ignore").astype(str)
    frame = frame.assign(payload_key=payload.agg("\x1f".join, axis=1).map(_digest) if len(frame) else "")
    return frame, pd.concat(ledger, ignore_index=True)


def duplicate_id_plan(keys: pd.DataFrame) -> pd.DataFrame:
    """Plan what happens to repeated UCDP event ids, from compact keys alone.

    The first row of an id (in file order) is the event. A later row with the same id and
    the same content is merged into it; one with different content is dropped
    (``duplicate_id_conflict``).

    Parameters
    ----------
    keys : DataFrame
        ``row``, ``source_id``, ``payload_key`` of every surviving row of the collection.

    Returns
    -------
    DataFrame
        Indexed by ``row``, for the repeated rows only: ``reason`` (``duplicate_row`` or
        ``duplicate_id_conflict``).
    """
    frame = keys.sort_values("row", kind="stable")
    dup_id = frame["source_id"].duplicated(keep="first")
    same = frame.duplicated(["source_id", "payload_key"], keep="first")
    reason = np.where(same, R_DUPLICATE_ROW, R_DUPLICATE_ID)
    return pd.DataFrame({"row": frame["row"].to_numpy(), "reason": reason})[dup_id.to_numpy()].set_index("row")


def apply_duplicate_id_plan(
    frame: pd.DataFrame, plan: pd.DataFrame, *, collection: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Remove the repeated rows of :func:`duplicate_id_plan` from (a chunk of) surviving rows.

    Returns
    -------
    rows : DataFrame
        The events, with ``doc_id``.
    ledger : DataFrame
        The merged and dropped repeats, columns :data:`LEDGER_COLUMNS`.
    """
    frame = frame.assign(doc_id=[make_doc_id(collection, s) for s in frame["source_id"]])
    reason = frame["row"].map(plan["reason"]) if len(plan) else pd.Series(None, index=frame.index, dtype=object)
    merged, conflict = reason == R_DUPLICATE_ROW, reason == R_DUPLICATE_ID
    ledger = pd.concat(
        [
            _ledger(frame[merged], fate=MERGED, reason=R_DUPLICATE_ROW, doc_id=frame.loc[merged, "doc_id"]),
            _ledger(frame[conflict], fate=DROPPED, reason=R_DUPLICATE_ID, doc_id=None),
        ],
        ignore_index=True,
    )
    return frame[~(merged | conflict)], ledger


def ucdp_build(
    frame: pd.DataFrame, *, collection: str, language: LanguageParams
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Turn distinct UCDP events into documents and reports (row-local: runs on any chunk).

    Returns
    -------
    documents, reports, ledger : DataFrame
        As :func:`ucdp_documents`; the ledger holds the kept rows and those dropped for
        an empty text.
    """
    ledger: list[pd.DataFrame] = [_ledger(frame.iloc[:0], fate=DROPPED, reason=R_EMPTY, doc_id=None)]
    reports = ucdp_reports(frame, collection=collection)
    headlines = reports.groupby("doc_id", sort=False)[["headline", "informative"]].apply(_document_headlines)
    # a list, not Series.map: an empty chunk (every row outside the window) must stay text
    text = pd.Series([" \n ".join(headlines.get(d, [])) for d in frame["doc_id"]], index=frame.index, dtype=object)
    frame = frame.assign(text=text.to_numpy())
    frame = _drop(frame, frame["text"].str.strip() == "", R_EMPTY, ledger)
    ledger.append(_ledger(frame, fate=KEPT, reason=R_KEPT, doc_id=frame["doc_id"]))
    reports = reports[reports["doc_id"].isin(frame["doc_id"])].reset_index(drop=True)

    first_report = reports.groupby("doc_id", sort=False).agg(
        published=("published", "min"), outlet=("outlet", "first"), n_reports=("report_id", "size")
    )
    num = lambda c: pd.to_numeric(frame[c], errors="coerce")  # noqa: E731
    documents = pd.DataFrame(
        {
            "doc_id": frame["doc_id"].to_numpy(),
            "collection": collection,
            "source_id": frame["source_id"].to_numpy(),
            "outlet": first_report["outlet"].reindex(frame["doc_id"]).to_numpy(),
            "published": first_report["published"].reindex(frame["doc_id"]).to_numpy(),
            "event_date": frame["event_date"].to_numpy(),
            "title": frame["doc_id"].map(lambda d: (headlines.get(d) or [""])[0]).to_numpy(),
            "text": frame["text"].to_numpy(),
            "country": frame["country"].to_numpy(),
            "admin1": frame["adm_1"].replace("", None).to_numpy(),
            "location": frame["where_coordinates"].replace("", None).to_numpy(),
            "latitude": num("latitude").to_numpy(),
            "longitude": num("longitude").to_numpy(),
            "deaths_best": num("best").round().astype("Int64").to_numpy(),
            "deaths_low": num("low").round().astype("Int64").to_numpy(),
            "deaths_high": num("high").round().astype("Int64").to_numpy(),
            "credibility": pd.array([pd.NA] * len(frame), dtype="Int8"),
            "n_reports": first_report["n_reports"].reindex(frame["doc_id"]).astype("int64").to_numpy(),
            "members": frame["source_id"].to_numpy(),
        }
    )
    documents = _finish_documents(documents, language=language)
    return documents, reports, pd.concat(ledger, ignore_index=True)


def _document_headlines(reports: pd.DataFrame) -> list[str]:
    """Return the distinct headlines that make a UCDP document's text, in report order.

    Bare codes and place names ("R3504", "Tanak neighbourhood, West Mosul") are left out
    when the event has at least one informative headline; they stay in ``reports``.
    """
    informative = reports.loc[reports["informative"], "headline"]
    chosen = informative if len(informative) else reports["headline"]
    return list(dict.fromkeys(h for h in chosen if h))


def plausible_date(text: pd.Series, *, first_year: int = 1946, last_year: int = 2030) -> pd.Series:
    """Parse ISO dates, returning NaT for unparseable ones and for years outside a plausible range.

    UCDP source dates hold typos such as ``2919-02-06``; those become NaT (the raw text is
    kept in ``published_raw``) rather than a date nine centuries away.

    >>> plausible_date(pd.Series(["2016-01-02", "2919-02-06", "n/a"])).dt.year.tolist()
    [2016.0, nan, nan]
    """
    year = pd.to_numeric(text.str.slice(0, 4), errors="coerce")
    ok = year.between(first_year, last_year)
    return pd.to_datetime(text.where(ok), format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")


def ucdp_reports(frame: pd.DataFrame, *, collection: str) -> pd.DataFrame:
    """Explode each UCDP event into one row per source report.

    Returns
    -------
    DataFrame
        Columns ``report_id`` (``doc_id:r<k>``), ``doc_id``, ``collection``, ``outlet``,
        ``outlet_raw``, ``published`` (NaT where implausible), ``published_raw``,
        ``event_date``, ``lag_days``, ``headline``, ``informative``.
    """
    rows = []
    for doc_id, event_date, art, off, dat, head in zip(
        frame["doc_id"],
        frame["event_date"],
        frame["source_article"],
        frame["source_office"],
        frame["source_date"],
        frame["source_headline"],
        strict=True,
    ):
        for k, (office, date, headline) in enumerate(split_source_reports(art, office=off, date=dat, headline=head), 1):
            rows.append((f"{doc_id}:r{k}", doc_id, office, date, clean_headline(headline), event_date))
    reports = pd.DataFrame(
        rows, columns=["report_id", "doc_id", "outlet_raw", "published_raw", "headline", "event_date"]
    )
    reports["published"] = plausible_date(reports["published_raw"])
    reports["event_date"] = pd.to_datetime(reports["event_date"])
    reports["lag_days"] = (reports["published"] - reports["event_date"]).dt.days.astype("Int64")
    reports["outlet_raw"] = reports["outlet_raw"].map(fix_unicode)
    reports["outlet"] = reports["outlet_raw"].map(normalise_outlet)
    reports["headline"] = reports["headline"].map(lambda h: split_non_latin(h)[0])
    reports["informative"] = reports["headline"].map(is_informative)
    reports["collection"] = collection
    return reports[REPORT_COLUMNS]


REPORT_COLUMNS = [
    "report_id",
    "doc_id",
    "collection",
    "outlet",
    "outlet_raw",
    "published",
    "published_raw",
    "event_date",
    "lag_days",
    "headline",
    "informative",
]


def fakes_reports(documents: pd.DataFrame) -> pd.DataFrame:
    """Return one report per FA-KES document (the article itself), in :data:`REPORT_COLUMNS`."""
    return pd.DataFrame(
        {
            "report_id": documents["doc_id"] + ":r1",
            "doc_id": documents["doc_id"],
            "collection": documents["collection"],
            "outlet": documents["outlet"],
            "outlet_raw": documents["outlet_raw"],
            "published": documents["published"],
            "published_raw": documents["date_raw"],
            "event_date": pd.NaT,
            "lag_days": pd.array([pd.NA] * len(documents), dtype="Int64"),
            "headline": documents["title"],
            "informative": documents["informative"],
        }
    )[REPORT_COLUMNS]


def _finish_documents(documents: pd.DataFrame, *, language: LanguageParams) -> pd.DataFrame:
    split = documents["text"].map(split_non_latin)
    text = split.map(lambda x: x[0])
    return documents.assign(
        text=text,
        n_non_english_fragments=split.map(lambda x: len(x[1])).astype("int64"),
        language=text.map(lambda t: detect_language(t, params=language)),
        informative=text.map(is_informative),
        n_tokens=text.map(count_tokens).astype("int64"),
    )
