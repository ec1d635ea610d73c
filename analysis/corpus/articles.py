"""The ``articles`` kind: one text per row, with outlet and date (FA-KES, or a researcher's own corpus).

One document is one article. The same article text appearing again (with the same
id or another) is merged into its first row; an id reused for a different text
keeps its own document with ``~2``, ``~3`` appended. Each article is also its own
single report. Every kind module offers the same steps, which
:mod:`analysis.corpus.build` (in memory) and :mod:`analysis.corpus.partitions` (by
partition) compose: :func:`rows` (row-local), :func:`plan` (whole collection, on
compact keys), :func:`doc_ids` and :func:`build` (row-local, given the plan).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.corpus import ledger as led
from analysis.corpus.outlets import normalise_outlet
from analysis.corpus.schema import REPORT_COLUMNS
from analysis.corpus.text import clean_article, fix_unicode, loose_text, text_features
from analysis.errors import DataError
from analysis.params import CleanParams, CollectionSpec

#: logical column (``params.KIND_COLUMNS``) -> column of the cleaning frames; the raw text
#: fields keep a ``_raw`` suffix beside the cleaned ones the steps add.
FIELDS = {
    "id": "source_id",
    "title": "title_raw",
    "text": "text_raw",
    "outlet": "outlet_raw",
    "published": "date_raw",
    "location": "location_raw",
    "credibility": "credibility_raw",
}
#: The compact keys :func:`plan` needs from every surviving row.
KEY_COLUMNS = ["row", "source_id", "merge_key", "credibility"]


def rows(raw: pd.DataFrame, *, spec: CollectionSpec, params: CleanParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop unusable article rows and clean the rest (row-local: runs on any chunk).

    Parameters
    ----------
    raw : DataFrame
        A reader chunk (:func:`analysis.corpus.collections.iter_collection`).
    spec : CollectionSpec
        The collection (its name, date format and column mapping, for messages).
    params : CleanParams
        ``max_text_chars``: longer texts are dropped (``text_too_long``).

    Returns
    -------
    rows : DataFrame
        The surviving rows with ``published``, ``title``, ``text``, ``credibility`` and
        ``merge_key`` (a hash of the loosely normalised text; equal texts share it).
    ledger : DataFrame
        The dropped rows, columns :data:`analysis.corpus.ledger.LEDGER_COLUMNS`.

    Raises
    ------
    DataError
        If most dates of the chunk do not parse with ``spec.date_format``: the column is
        mapped wrongly or has another format, which is the user's to fix, not a row's.
    """
    ledger = led.empty_ledger(raw)
    frame = led.drop(raw, raw["is_hxl"], led.R_HXL, ledger)
    frame = led.drop(frame, frame["is_malformed"], led.R_MALFORMED, ledger)
    frame = led.drop(frame, frame["source_id"].str.strip() == "", led.R_MISSING_ID, ledger)
    frame = led.drop(frame, frame["text_raw"].str.strip() == "", led.R_EMPTY, ledger)
    frame = led.drop(frame, frame["text_raw"].str.len() > params.max_text_chars, led.R_TOO_LONG, ledger)
    published = pd.to_datetime(frame["date_raw"], format=spec.date_format, errors="coerce")
    _check_date_column(frame["date_raw"], published, spec=spec)
    frame = frame.assign(published=published)
    frame = led.drop(frame, frame["published"].isna(), led.R_BAD_DATE, ledger)

    title = frame["title_raw"].map(fix_unicode).astype(object)
    text = [clean_article(t, title=ti) for t, ti in zip(frame["text_raw"], frame["title_raw"], strict=True)]
    frame = frame.assign(title=title.to_numpy(), text=pd.Series(text, index=frame.index, dtype=object))
    frame = led.drop(frame, frame["text"].str.strip() == "", led.R_EMPTY, ledger)
    credibility = pd.to_numeric(frame["credibility_raw"], errors="coerce")
    frame = frame.assign(
        credibility=credibility.astype("Int8"), merge_key=frame["text"].map(lambda t: led.digest(loose_text(t)))
    )
    return frame, pd.concat(ledger, ignore_index=True)


def _check_date_column(raw: pd.Series, parsed: pd.Series, *, spec: CollectionSpec) -> None:
    """Refuse a date column most of whose values do not parse: a wrong mapping or format, not bad rows."""
    given = raw.str.strip() != ""
    bad = given & parsed.isna()
    if given.sum() and bad.sum() * 2 > given.sum():
        column = spec.column_map()["published"]
        example = raw[bad].iloc[0]
        raise DataError(
            f"{spec.file}: column {column!r} (acquire.collections[{spec.name}].columns.published): "
            f"{int(bad.sum())} of {int(given.sum())} dates do not parse as {spec.date_format!r} "
            f"(first: {example!r}); set acquire.collections[{spec.name}].date_format"
        )


def plan(keys: pd.DataFrame, *, spec: CollectionSpec) -> pd.DataFrame:
    """Plan the merge of rows that repeat an article, from compact keys alone.

    The first row of each ``merge_key`` (in file order) becomes the document; later rows
    merge into it. Credibility is kept where all merged rows agree and set to null where
    they disagree. A reused ``source_id`` with a different text keeps its own document,
    with ``~2``, ``~3`` ... appended to its doc_id.

    Parameters
    ----------
    keys : DataFrame
        :data:`KEY_COLUMNS` of every surviving row of the collection (from any number of chunks).
    spec : CollectionSpec
        The collection (its name prefixes the doc_ids).

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
        led.make_doc_id(spec.name, sid) + (f"~{n}" if n > 1 else "")
        for sid, n in zip(kept["source_id"], occurrence, strict=True)
    ]
    doc_of_key = pd.Series(kept_doc, index=kept["merge_key"].to_numpy())
    doc_id = frame["merge_key"].map(doc_of_key)
    agree = frame.groupby(doc_id.to_numpy())["credibility"].agg(lambda s: s.nunique(dropna=True) <= 1)
    members = frame.groupby(doc_id.to_numpy())["source_id"].agg(lambda s: ";".join(dict.fromkeys(s)))
    out = pd.DataFrame(
        {
            "row": frame["row"].to_numpy(),
            "doc_id": doc_id.to_numpy(),
            "first": first.to_numpy(),
            "occurrence": occurrence.reindex(frame.index, fill_value=1).to_numpy(),
            "members": doc_id.map(members).to_numpy(),
            "credibility": frame["credibility"].where(doc_id.map(agree).to_numpy().astype(bool), pd.NA).to_numpy(),
        }
    )
    return out.set_index("row")


def doc_ids(plan: pd.DataFrame, keys: pd.DataFrame, *, spec: CollectionSpec) -> pd.Series:
    """Return the ids of the documents :func:`plan` makes (one per first row)."""
    return plan.loc[plan["first"].astype(bool), "doc_id"]


def build(
    frame: pd.DataFrame, plan: pd.DataFrame, *, spec: CollectionSpec, params: CleanParams
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Apply the merge plan to (a chunk of) surviving rows and finish their documents and reports.

    Returns
    -------
    documents : DataFrame
        One row per article: the columns of :data:`analysis.corpus.schema.DOCUMENT_COLUMNS`
        except the text-group and sealing columns (set on the whole corpus), plus ``members``.
    reports : DataFrame
        One report per article, columns :data:`analysis.corpus.schema.REPORT_COLUMNS`.
    ledger : DataFrame
        Kept and merged rows, columns :data:`analysis.corpus.ledger.LEDGER_COLUMNS`.
    """
    frame = frame.sort_values("row", kind="stable")
    p = plan.loc[frame["row"].to_numpy()].set_index(frame.index)
    first = p["first"].astype(bool)
    kept = frame[first].assign(
        doc_id=p.loc[first, "doc_id"],
        members=p.loc[first, "members"],
        credibility=p.loc[first, "credibility"].astype("Int8"),
    )
    reason = pd.Series(np.where(p.loc[first, "occurrence"] > 1, led.R_KEPT_REPEATED_ID, led.R_KEPT), index=kept.index)
    ledger = pd.concat(
        [
            led.ledger_rows(kept, fate=led.KEPT, reason=reason, doc_id=kept["doc_id"]),
            led.ledger_rows(
                frame[~first], fate=led.MERGED, reason=led.R_REPEATED_ARTICLE, doc_id=p.loc[~first, "doc_id"]
            ),
        ],
        ignore_index=True,
    )
    documents = _finish(kept, spec=spec, params=params)
    return documents, reports(documents), ledger


def _finish(documents: pd.DataFrame, *, spec: CollectionSpec, params: CleanParams) -> pd.DataFrame:
    """Give merged article documents their fixed columns and text features (row-local)."""
    location = documents["location_raw"].str.strip().str.title() if "location" in spec.columns else None
    documents = documents.assign(
        collection=spec.name,
        outlet=documents["outlet_raw"].map(normalise_outlet),
        event_date=pd.NaT,
        country=spec.country,
        admin1=None,
        location=location,
        latitude=np.nan,
        longitude=np.nan,
        deaths_best=pd.NA,
        deaths_low=pd.NA,
        deaths_high=pd.NA,
        violence_type=pd.NA,
        dyad=None,
        deaths_side_a=pd.NA,
        deaths_side_b=pd.NA,
        deaths_civilians=pd.NA,
        n_reports=1,
    )
    return text_features(documents, language=params.language)


def reports(documents: pd.DataFrame) -> pd.DataFrame:
    """Return one report per article document (the article itself), in :data:`REPORT_COLUMNS`."""
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


def documents(
    raw: pd.DataFrame, *, spec: CollectionSpec, params: CleanParams
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean a whole article collection in memory: :func:`rows`, :func:`plan`, :func:`build`.

    Returns
    -------
    documents, reports, ledger : DataFrame
        As :func:`build`; the ledger holds one row per input row.
    """
    frame, dropped = rows(raw, spec=spec, params=params)
    documents, reps, kept = build(frame, plan(frame[KEY_COLUMNS], spec=spec), spec=spec, params=params)
    return documents, reps, pd.concat([dropped, kept], ignore_index=True)
