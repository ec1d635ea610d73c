"""The ``event_reports`` kind: one event per row with its dated source reports (UCDP GED's layout).

One document is one event; its text is the event's distinct report headlines, one per
line. One report is one ``;``-separated source entry (outlet, publication date,
headline): the unit of the reporting-lag and outlet analyses. An event is never
merged with another, even when they share a headline; an id repeated with the same
content is merged, with different content dropped. The steps are those of every
kind module (see :mod:`analysis.corpus.articles`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.corpus import ledger as led
from analysis.corpus.outlets import normalise_outlet
from analysis.corpus.schema import REPORT_COLUMNS
from analysis.corpus.text import clean_headline, fix_unicode, is_informative, split_non_latin, text_features
from analysis.errors import DataError
from analysis.params import KIND_COLUMNS, KIND_OPTIONAL_COLUMNS, CleanParams, CollectionSpec

#: logical column (``params.KIND_COLUMNS``) -> column of the cleaning frames: UCDP GED's names.
FIELDS = {
    k: ("source_id" if k == "id" else k)
    for k in (*KIND_COLUMNS["event_reports"], *KIND_OPTIONAL_COLUMNS["event_reports"])
}
#: The compact keys :func:`plan` needs from every surviving row.
KEY_COLUMNS = ["row", "source_id", "payload_key"]


def rows(raw: pd.DataFrame, *, spec: CollectionSpec, params: CleanParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop unusable event rows (row-local: runs on any chunk).

    Parameters
    ----------
    raw : DataFrame
        A reader chunk (:func:`analysis.corpus.collections.iter_collection`).
    spec : CollectionSpec
        The collection.
    params : CleanParams
        ``study_window`` (inclusive event years, by collection name) and ``max_text_chars``.

    Returns
    -------
    rows : DataFrame
        Surviving rows with ``event_date`` and ``payload_key`` (a hash of the row's
        content, which tells a repeated row from a reused id).
    ledger : DataFrame
        The dropped rows, columns :data:`analysis.corpus.ledger.LEDGER_COLUMNS`.

    Raises
    ------
    DataError
        If most event dates of the chunk do not parse as ``YYYY-MM-DD``.
    """
    ledger = led.empty_ledger(raw)
    frame = led.drop(raw, raw["is_hxl"], led.R_HXL, ledger)
    frame = led.drop(frame, frame["is_malformed"], led.R_MALFORMED, ledger)
    frame = led.drop(frame, frame["source_id"].str.strip() == "", led.R_MISSING_ID, ledger)
    event_date = pd.to_datetime(frame["date_start"].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    given = frame["date_start"].str.strip() != ""
    if given.sum() and (given & event_date.isna()).sum() * 2 > given.sum():
        column = spec.column_map()["date_start"]
        raise DataError(
            f"{spec.file}: column {column!r} (acquire.collections[{spec.name}].columns.date_start): most event "
            f"dates do not parse as YYYY-MM-DD (first: {frame.loc[given & event_date.isna(), 'date_start'].iloc[0]!r})"
        )
    frame = frame.assign(event_date=event_date)
    frame = led.drop(frame, frame["event_date"].isna(), led.R_BAD_DATE, ledger)
    window = params.study_window.get(spec.name)
    if window is not None:
        year = frame["event_date"].dt.year
        outside = pd.Series(False, index=frame.index)
        if window.start_year is not None:
            outside |= year < window.start_year
        if window.end_year is not None:
            outside |= year > window.end_year
        frame = led.drop(frame, outside, led.R_WINDOW, ledger)
    frame = led.drop(frame, frame["source_article"].str.len() > params.max_text_chars, led.R_TOO_LONG, ledger)
    payload = frame.drop(columns=["row", "line", "is_hxl", "is_malformed"], errors="ignore").astype(str)
    frame = frame.assign(payload_key=payload.agg("\x1f".join, axis=1).map(led.digest) if len(frame) else "")
    return frame, pd.concat(ledger, ignore_index=True)


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


def plan(keys: pd.DataFrame, *, spec: CollectionSpec) -> pd.DataFrame:
    """Plan what happens to repeated event ids, from compact keys alone.

    The first row of an id (in file order) is the event. A later row with the same id and
    the same content is merged into it; one with different content is dropped
    (``duplicate_id_conflict``).

    Parameters
    ----------
    keys : DataFrame
        :data:`KEY_COLUMNS` of every surviving row of the collection.
    spec : CollectionSpec
        The collection.

    Returns
    -------
    DataFrame
        Indexed by ``row``, for the repeated rows only: ``reason`` (``duplicate_row`` or
        ``duplicate_id_conflict``).
    """
    frame = keys.sort_values("row", kind="stable")
    dup_id = frame["source_id"].duplicated(keep="first")
    same = frame.duplicated(["source_id", "payload_key"], keep="first")
    reason = np.where(same, led.R_DUPLICATE_ROW, led.R_DUPLICATE_ID)
    return pd.DataFrame({"row": frame["row"].to_numpy(), "reason": reason})[dup_id.to_numpy()].set_index("row")


def doc_ids(plan: pd.DataFrame, keys: pd.DataFrame, *, spec: CollectionSpec) -> pd.Series:
    """Return the ids of the documents the collection makes: one per row that :func:`plan` does not remove."""
    ids = keys.loc[~keys["row"].isin(plan.index), "source_id"]
    return pd.Series([led.make_doc_id(spec.name, s) for s in ids], dtype=object)


def build(
    frame: pd.DataFrame, plan: pd.DataFrame, *, spec: CollectionSpec, params: CleanParams
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Remove the repeats :func:`plan` names, then turn the events into documents and reports (row-local).

    Returns
    -------
    documents : DataFrame
        One row per event: the columns of :data:`analysis.corpus.schema.DOCUMENT_COLUMNS`
        except the text-group and sealing columns, plus ``members``.
    reports : DataFrame
        One row per source report, columns :data:`analysis.corpus.schema.REPORT_COLUMNS`.
    ledger : DataFrame
        The merged, dropped and kept rows, columns :data:`analysis.corpus.ledger.LEDGER_COLUMNS`.
    """
    collection = spec.name
    frame = frame.assign(doc_id=[led.make_doc_id(collection, s) for s in frame["source_id"]])
    reason = frame["row"].map(plan["reason"]) if len(plan) else pd.Series(None, index=frame.index, dtype=object)
    merged, conflict = reason == led.R_DUPLICATE_ROW, reason == led.R_DUPLICATE_ID
    ledger = [
        led.ledger_rows(frame[merged], fate=led.MERGED, reason=led.R_DUPLICATE_ROW, doc_id=frame.loc[merged, "doc_id"]),
        led.ledger_rows(frame[conflict], fate=led.DROPPED, reason=led.R_DUPLICATE_ID, doc_id=None),
    ]
    frame = frame[~(merged | conflict)]
    reports = event_reports(frame, collection=collection)
    headlines = _document_headlines(reports)
    # a list, not Series.map: an empty chunk (every row outside the window) must stay text
    text = pd.Series([" \n ".join(headlines.get(d, [])) for d in frame["doc_id"]], index=frame.index, dtype=object)
    frame = frame.assign(text=text.to_numpy())
    frame = led.drop(frame, frame["text"].str.strip() == "", led.R_EMPTY, ledger)
    ledger.append(led.ledger_rows(frame, fate=led.KEPT, reason=led.R_KEPT, doc_id=frame["doc_id"]))
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
            # UCDP's coding, where mapped: 1 state-based, 2 non-state, 3 one-sided violence
            "violence_type": num("type_of_violence").round().astype("Int8").to_numpy(),
            "dyad": frame["dyad_name"].replace("", None).to_numpy(),
            "deaths_side_a": num("deaths_a").round().astype("Int64").to_numpy(),
            "deaths_side_b": num("deaths_b").round().astype("Int64").to_numpy(),
            "deaths_civilians": num("deaths_civilians").round().astype("Int64").to_numpy(),
            "credibility": pd.array([pd.NA] * len(frame), dtype="Int8"),
            "n_reports": first_report["n_reports"].reindex(frame["doc_id"]).astype("int64").to_numpy(),
            "members": frame["source_id"].to_numpy(),
        }
    )
    documents = text_features(documents, language=params.language)
    return documents, reports, pd.concat(ledger, ignore_index=True)


def _document_headlines(reports: pd.DataFrame) -> dict[str, list[str]]:
    """Return, per event document, the distinct headlines that make its text, in report order.

    Bare codes and place names ("R3504", "Tanak neighbourhood, West Mosul") are left out
    when the event has at least one informative headline; they stay in ``reports``. An
    event with no non-empty headline has no entry.
    """
    # one pass over plain lists: a groupby-apply costs a pandas call per event
    any_informative = reports.groupby("doc_id", sort=False)["informative"].transform("any")
    chosen = reports[reports["informative"] | ~any_informative]
    out: dict[str, dict[str, None]] = {}
    for doc_id, headline in zip(chosen["doc_id"], chosen["headline"], strict=True):
        if headline:
            out.setdefault(doc_id, {})[headline] = None
    return {doc_id: list(h) for doc_id, h in out.items()}


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


def event_reports(frame: pd.DataFrame, *, collection: str) -> pd.DataFrame:
    """Explode each event into one row per source report.

    Returns
    -------
    DataFrame
        Columns ``report_id`` (``doc_id:r<k>``), ``doc_id``, ``collection``, ``outlet``,
        ``outlet_raw``, ``published`` (NaT where implausible), ``published_raw``,
        ``event_date``, ``lag_days``, ``headline``, ``informative``.
    """
    entries = []
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
            entries.append((f"{doc_id}:r{k}", doc_id, office, date, clean_headline(headline), event_date))
    reports = pd.DataFrame(
        entries, columns=["report_id", "doc_id", "outlet_raw", "published_raw", "headline", "event_date"]
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


def documents(
    raw: pd.DataFrame, *, spec: CollectionSpec, params: CleanParams
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean a whole event collection in memory: :func:`rows`, :func:`plan`, :func:`build`.

    Returns
    -------
    documents, reports, ledger : DataFrame
        As :func:`build`; the ledger holds one row per input row.
    """
    frame, dropped = rows(raw, spec=spec, params=params)
    docs, reps, rest = build(frame, plan(frame[KEY_COLUMNS], spec=spec), spec=spec, params=params)
    return docs, reps, pd.concat([dropped, rest], ignore_index=True)


def first_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """Return each event's first report: the earliest dated on or after the event, else its first listed.

    A report dated before its event is a dating error (UCDP dates an event by its first day),
    so it is never the first; an event with no report dated on or after it keeps its first
    listed report, with no lag. Only what that report says is known before any later report,
    which makes its headline the text for covariates of reporting (``docs/study.md``).

    Parameters
    ----------
    reports : DataFrame
        The reports of ``event_reports`` documents (``report_id`` ending ``:r<k>``, ``doc_id``,
        ``lag_days``, ``headline``).

    Returns
    -------
    DataFrame
        ``doc_id``, ``report_id``, ``headline``, ``first_lag_days`` (float; NaN without a
        report dated on or after the event), sorted by ``doc_id``.
    """
    lag = reports["lag_days"].astype("Float64").astype(float)
    ranked = reports.assign(
        _undated=~(lag >= 0),
        _lag=lag.where(lag >= 0),
        _k=reports["report_id"].str.rsplit(":r", n=1).str[-1].astype(int),
    ).sort_values(["doc_id", "_undated", "_lag", "_k"])
    first = ranked.drop_duplicates("doc_id", keep="first")
    out = first[["doc_id", "report_id", "headline"]].assign(first_lag_days=first["_lag"].to_numpy())
    return out.sort_values("doc_id", ignore_index=True)
