"""Schemas checked at stage boundaries (pandera), failing with a one-line message."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis.errors import DataError

DOCUMENT_COLUMNS = [
    "doc_id",
    "collection",
    "source_id",
    "members",
    "outlet",
    "published",
    "event_date",
    "title",
    "text",
    "language",
    "n_non_english_fragments",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "deaths_best",
    "deaths_low",
    "deaths_high",
    "violence_type",
    "dyad",
    "deaths_side_a",
    "deaths_side_b",
    "deaths_civilians",
    "credibility",
    "n_reports",
    "informative",
    "text_group",
    "text_group_size",
    "sealed_by_id",
    "sealed",
    "sealed_group",
    "n_tokens",
]

_DATE = pa.Column("datetime64[ns]", nullable=True)
_COLLECTION = pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$"))  # a name from acquire.collections

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

DOCUMENTS = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, unique=True, checks=pa.Check.str_matches(r"^[a-z][a-z0-9_]*:\S+$")),
        "collection": _COLLECTION,
        "source_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "members": pa.Column(str),
        "outlet": pa.Column(str, nullable=True),
        "published": _DATE,
        "event_date": _DATE,
        "title": pa.Column(str, nullable=True),
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "language": pa.Column(str, pa.Check.str_matches(r"^[a-z]{2,3}$")),
        "n_non_english_fragments": pa.Column("int64", pa.Check.ge(0)),
        "country": pa.Column(str, nullable=True),
        "admin1": pa.Column(str, nullable=True),
        "location": pa.Column(str, nullable=True),
        "latitude": pa.Column(float, pa.Check.in_range(-90, 90), nullable=True),
        "longitude": pa.Column(float, pa.Check.in_range(-180, 180), nullable=True),
        "deaths_best": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "deaths_low": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "deaths_high": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "violence_type": pa.Column("Int8", pa.Check.isin([1, 2, 3]), nullable=True),
        "dyad": pa.Column(str, nullable=True),
        "deaths_side_a": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "deaths_side_b": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "deaths_civilians": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "credibility": pa.Column("Int8", pa.Check.isin([0, 1]), nullable=True),
        "n_reports": pa.Column("int64", pa.Check.ge(1)),
        "informative": pa.Column(bool),
        "text_group": pa.Column(str),
        "text_group_size": pa.Column("int64", pa.Check.ge(1)),
        "sealed_by_id": pa.Column(bool),
        "sealed": pa.Column(bool),
        "sealed_group": pa.Column(bool),
        "n_tokens": pa.Column("int64", pa.Check.ge(1)),
    },
    strict=True,
    ordered=True,
)

REPORTS = pa.DataFrameSchema(
    {
        "report_id": pa.Column(str, unique=True),
        "doc_id": pa.Column(str),
        "collection": _COLLECTION,
        "outlet": pa.Column(str),
        "outlet_raw": pa.Column(str),
        "published": _DATE,
        "published_raw": pa.Column(str),
        "event_date": _DATE,
        "lag_days": pa.Column("Int64", nullable=True),
        "headline": pa.Column(str, nullable=True),
        "informative": pa.Column(bool),
    },
    strict=True,
    ordered=True,
)

LEDGER = pa.DataFrameSchema(
    {
        "collection": _COLLECTION,
        "source_file": pa.Column(str),
        "row": pa.Column("int64", pa.Check.ge(1)),
        "source_id": pa.Column(str),
        "fate": pa.Column(str, pa.Check.isin(["kept", "merged", "dropped"])),
        "reason": pa.Column(str),
        "doc_id": pa.Column(str, nullable=True),
    },
    strict=True,
    ordered=True,
    unique=["source_file", "row"],
)


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, *, name: str) -> pd.DataFrame:
    """Validate ``frame`` against ``schema``; raise :class:`DataError` with one line on failure."""
    try:
        return schema.validate(frame)
    except (pa.errors.SchemaError, pa.errors.SchemaErrors) as exc:
        first = " ".join(str(exc).split())[:400]
        raise DataError(f"{name}: schema check failed: {first}") from None
