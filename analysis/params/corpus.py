"""The corpus sections: ``acquire`` (the collections and their pinned files) and ``clean``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.config import check

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class SourceSpec:
    """One pinned input file: where it comes from and what its bytes hash to.

    It comes from ``path`` (a local file, relative to the project root) when given, else
    from ``$ANALYSIS_DATA_MIRROR/<mirror_path>`` when a mirror is set, else from ``url``.
    """

    name: str
    sha256: str
    url: str | None = None
    mirror_path: str | None = None
    path: str | None = None

    def __post_init__(self) -> None:
        key = f"source {self.name}"
        check(bool(_SHA256.fullmatch(self.sha256)), key, "sha256 must be 64 lower-case hex digits")
        check(self.url is not None or self.path is not None, key, "needs a url or a path")
        check(self.url is None or self.url.startswith(("https://", "http://")), key, f"url must be http(s): {self.url}")
        check("/" not in self.name and self.name not in ("", ".", ".."), key, "file must be a bare file name")


#: What each kind of collection reads from its file: logical column -> default source column.
#: ``articles``: one text per row, with outlet and date. ``event_reports``: one event per row
#: with its ``;``-joined dated source reports, in the layout of UCDP's GED.
KIND_COLUMNS: dict[str, dict[str, str]] = {
    "articles": {k: k for k in ("id", "title", "text", "outlet", "published")},
    "event_reports": {
        k: k
        for k in (
            "id",
            "date_start",
            "source_article",
            "source_office",
            "source_date",
            "source_headline",
            "country",
            "adm_1",
            "where_coordinates",
            "latitude",
            "longitude",
            "best",
            "low",
            "high",
        )
    },
}
#: Logical columns a collection of the kind may map in addition (left empty when not mapped).
#: For ``event_reports``, UCDP's coding of the event (type of violence, dyad, deaths by side): what its
#: coders read in the full sources, the human measure the instrument is checked against.
KIND_OPTIONAL_COLUMNS = {
    "articles": ("location", "credibility"),
    "event_reports": ("type_of_violence", "dyad_name", "deaths_a", "deaths_b", "deaths_civilians"),
}
FORMATS = ("csv", "jsonl", "parquet", "rda")


@dataclass(frozen=True)
class CollectionSpec:
    """One collection of the corpus: its kind, its pinned file and how to read it.

    Code branches on ``kind`` (``articles`` or ``event_reports``), never on ``name``; a
    researcher's own corpus enters as one more entry (``docs/data.md``).
    """

    name: str
    kind: str
    label: str
    file: str
    format: str
    sha256: str
    url: str | None = None
    path: str | None = None
    mirror_path: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    date_format: str = "%Y-%m-%d"
    country: str | None = None
    rda_object: str | None = None

    def __post_init__(self) -> None:
        key = f"acquire.collections[{self.name}]"
        check(bool(re.fullmatch(r"[a-z][a-z0-9_]*", self.name)), key, "name must be lower-case letters, digits, _")
        check(self.kind in KIND_COLUMNS, f"{key}.kind", f"must be one of {list(KIND_COLUMNS)}, got {self.kind!r}")
        check(self.format in FORMATS, f"{key}.format", f"must be one of {list(FORMATS)}, got {self.format!r}")
        check((self.url is None) != (self.path is None), key, "needs exactly one of url and path")
        check(self.format != "rda" or bool(self.rda_object), f"{key}.rda_object", "an .rda file needs the object name")
        known = set(KIND_COLUMNS[self.kind]) | set(KIND_OPTIONAL_COLUMNS[self.kind])
        unknown = sorted(set(self.columns) - known)
        check(
            not unknown,
            f"{key}.columns",
            f"unknown logical column(s) {unknown} for kind {self.kind}; known: {sorted(known)}",
        )
        self.source()  # checks the file name, url and sha256

    def source(self) -> SourceSpec:
        """Return the pinned file this collection reads."""
        return SourceSpec(self.file, self.sha256, url=self.url, mirror_path=self.mirror_path, path=self.path)

    def column_map(self) -> dict[str, str]:
        """Return logical column -> column in the file: the kind's defaults, overridden by ``columns``."""
        return {**KIND_COLUMNS[self.kind], **self.columns}


@dataclass(frozen=True)
class AcquireParams:
    """The corpus: its collections, in corpus order, and how their files are fetched."""

    retries: int
    timeout_s: float
    collections: tuple[CollectionSpec, ...]

    def __post_init__(self) -> None:
        check(self.retries >= 1, "acquire.retries", f"must be >= 1, got {self.retries}")
        check(self.timeout_s > 0, "acquire.timeout_s", f"must be > 0, got {self.timeout_s}")
        check(len(self.collections) >= 1, "acquire.collections", "must list at least one collection")
        names = [c.name for c in self.collections]
        check(len(names) == len(set(names)), "acquire.collections", f"names must be unique, got {names}")
        files = [c.file for c in self.collections]
        check(len(files) == len(set(files)), "acquire.collections", f"files must be unique, got {files}")

    def kinds(self) -> dict[str, str]:
        """Return collection name -> kind, in corpus order."""
        return {c.name: c.kind for c in self.collections}

    def of_kind(self, kind: str) -> list[str]:
        """Return the names of the collections of ``kind``, in corpus order."""
        return [c.name for c in self.collections if c.kind == kind]

    def labels(self) -> dict[str, str]:
        """Return collection name -> display label."""
        return {c.name: c.label for c in self.collections}


@dataclass(frozen=True)
class YearWindow:
    """An inclusive range of event years; ``None`` leaves that end open."""

    start_year: int | None
    end_year: int | None

    def __post_init__(self) -> None:
        if self.start_year is not None and self.end_year is not None:
            check(self.start_year <= self.end_year, "clean.study_window", "start_year must be <= end_year")


@dataclass(frozen=True)
class LanguageParams:
    """When a language guess is trusted enough to record."""

    min_tokens: int
    min_probability: float

    def __post_init__(self) -> None:
        check(self.min_tokens >= 1, "clean.language.min_tokens", "must be >= 1")
        check(0 < self.min_probability <= 1, "clean.language.min_probability", "must be in (0, 1]")


@dataclass(frozen=True)
class DedupeParams:
    """Near-duplicate detection (MinHash over word shingles)."""

    num_perm: int
    shingle_words: int
    threshold: float

    def __post_init__(self) -> None:
        check(16 <= self.num_perm <= 1024, "clean.dedupe.num_perm", "must be in [16, 1024]")
        check(1 <= self.shingle_words <= 10, "clean.dedupe.shingle_words", "must be in [1, 10]")
        check(0.5 <= self.threshold < 1, "clean.dedupe.threshold", "must be in [0.5, 1)")


@dataclass(frozen=True)
class CleanParams:
    """Settings of the ``clean`` stage."""

    study_window: dict[str, YearWindow]
    max_text_chars: int
    language: LanguageParams
    dedupe: DedupeParams

    def __post_init__(self) -> None:
        check(self.max_text_chars >= 1000, "clean.max_text_chars", "must be >= 1000")


#: The round-1 strata (``annotations/sample.csv``): the hash split assigns them to train,
