"""A gold round through Label Studio: tasks and a labelling config out, its JSON exports back in.

Label Studio (open source, ``label-studio`` on PyPI) is where researchers annotate. A round is a
sample of documents (ids and strata, as ``annotations/`` holds them):

- :func:`labelling_config` writes the project's config: the document's title and text, and the
  codebook's types as multiple choices, each with its definition as a hint;
- :func:`tasks` writes one task per sampled document for one annotator's project. Every task
  carries the round's id (a hash of the sample) and the pass (``a`` or ``b``), so an export from
  another project, round or pass is refused on import;
- :func:`read_export` reads a project's JSON export into one label set per document, refusing
  a task missing from the sample, a label not in the codebook and a document annotated twice;
- :func:`passes_frame` and :func:`disputes` turn two passes (and an adjudication) into the
  rows of an annotation file (``doc_id``, ``pass``, ``labels``, ``stratum``,
  ``codebook_version``, ``annotator``), as the gold stage reads them.

Document texts travel to Label Studio in the task files, which stay outside the repository.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pandas as pd

from analysis.codebook import CODEBOOK, CODEBOOK_VERSION, EVENT_TYPES
from analysis.errors import DataError

#: The name of the choices control in the labelling config (the export's ``from_name``).
CONTROL = "event_types"
PASSES = ("a", "b", "adjudicated")


def round_id(sample: pd.DataFrame) -> str:
    """Return a short id of a sample: the sha256 of its sorted ``doc_id``s, first 12 hex digits.

    >>> round_id(pd.DataFrame({"doc_id": ["x", "y"]})) == round_id(pd.DataFrame({"doc_id": ["y", "x"]}))
    True
    """
    return hashlib.sha256("\n".join(sorted(sample["doc_id"])).encode()).hexdigest()[:12]


def labelling_config(*, adjudication: bool = False) -> str:
    """Return the Label Studio labelling config: title, text, and one multiple choice per event type.

    With ``adjudication``, the two passes' labels (``$labels_a``, ``$labels_b``) are shown above the choices.
    """
    choices = "\n".join(f"    <Choice value={quoteattr(t.name)} hint={quoteattr(t.definition)}/>" for t in CODEBOOK)
    return (
        "<View>\n"
        '  <Header value="$title"/>\n'
        '  <Text name="text" value="$text"/>\n'
        + (
            '  <Header value="Annotator a: $labels_a"/>\n  <Header value="Annotator b: $labels_b"/>\n'
            if adjudication
            else ""
        )
        + '  <Header value="Event types reported (docs/codebook.md); none if none"/>\n'
        f'  <Choices name="{CONTROL}" toName="text" choice="multiple" showInline="false">\n'
        f"{choices}\n"
        "  </Choices>\n"
        "</View>\n"
    )


def tasks(
    sample: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    pass_name: str,
    of: pd.DataFrame | None = None,
    shown: pd.DataFrame | None = None,
) -> list[dict]:
    """Return one Label Studio task per sampled document, for one pass's project.

    Parameters
    ----------
    sample : DataFrame
        ``doc_id``, ``collection``, ``stratum`` (an annotation sample).
    documents : DataFrame
        ``doc_id``, ``title``, ``text`` of at least the sampled documents.
    pass_name : str
        ``a``, ``b`` or ``adjudicated``.
    of : DataFrame, optional
        The round's whole sample, where ``sample`` is part of it (the disputes to adjudicate).
    shown : DataFrame, optional
        ``doc_id`` and columns to show beside the text (the two passes' labels, for the adjudicator).

    Returns
    -------
    list of dict
        ``{"data": {"doc_id", "title", "text", "collection", "round", "pass"}}`` in the sample's order.
    """
    if pass_name not in PASSES:
        raise DataError(f"pass {pass_name!r}: must be one of {list(PASSES)}")
    missing = sorted(set(sample["doc_id"]) - set(documents["doc_id"]))
    if missing:
        raise DataError(f"sample: {missing[0]} is not in the documents table ({len(missing)} missing)")
    texts = documents.set_index("doc_id").loc[sample["doc_id"]]
    rid = round_id(sample if of is None else of)
    extra = {} if shown is None else shown.set_index("doc_id").to_dict("index")
    return [
        {
            "data": {
                **extra.get(doc_id, {}),
                "doc_id": doc_id,
                "title": "" if pd.isna(title) else str(title),
                "text": str(text),
                "collection": collection,
                "round": rid,
                "pass": pass_name,
            }
        }
        for doc_id, collection, title, text in zip(
            sample["doc_id"], sample["collection"], texts["title"], texts["text"], strict=True
        )
    ]


def read_export(path: Path, sample: pd.DataFrame, *, pass_name: str, complete: bool = False) -> pd.DataFrame:
    """Read one project's Label Studio JSON export into one label set per annotated document.

    Raises
    ------
    DataError
        One line naming the file and the task: not a JSON export, a task of another round or
        pass (another project), a document not in the sample, a label not in the codebook, a
        document annotated twice (two completed annotations, or two tasks), or, with
        ``complete``, a sampled document left unannotated (skipped, or never submitted).

    Returns
    -------
    DataFrame
        ``doc_id`` and ``labels`` (``;``-joined in codebook order, empty for none), in the
        sample's order, for the documents annotated (skipped and cancelled ones are left out).
    """
    name = Path(path).name
    try:
        exported = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise DataError(f"{name}: not a Label Studio JSON export ({exc})") from None
    if not isinstance(exported, list):
        raise DataError(f"{name}: not a Label Studio JSON export (expected a list of tasks)")
    rid, wanted = round_id(sample), set(sample["doc_id"])
    labels: dict[str, str] = {}
    for i, task in enumerate(exported):
        data = task.get("data", {}) if isinstance(task, dict) else {}
        where = f"{name}: task {task.get('id', i + 1) if isinstance(task, dict) else i + 1}"
        doc_id = data.get("doc_id")
        if data.get("round") != rid or data.get("pass") != pass_name:
            raise DataError(
                f"{where}: from round {data.get('round')!r}, pass {data.get('pass')!r}, not this sample's round "
                f"{rid!r}, pass {pass_name!r} (an export of another project?)"
            )
        if doc_id not in wanted:
            raise DataError(f"{where}: {doc_id!r} is not in the sample")
        done = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
        if len(done) > 1 or (done and doc_id in labels):
            raise DataError(f"{where}: {doc_id} is annotated twice in pass {pass_name}")
        if done:
            labels[doc_id] = _choices(done[0], where=where)
    ordered = [d for d in sample["doc_id"] if d in labels]
    if complete and len(ordered) < len(sample):
        missing = [d for d in sample["doc_id"] if d not in labels]
        raise DataError(
            f"{name}: {len(missing)} sampled documents not annotated (skipped, or not submitted), first {missing[0]}"
        )
    return pd.DataFrame({"doc_id": ordered, "labels": [labels[d] for d in ordered]})


def _choices(annotation: dict, *, where: str) -> str:
    chosen: set[str] = set()
    for result in annotation.get("result", []):
        if result.get("from_name") == CONTROL:
            chosen |= set(result.get("value", {}).get("choices", []))
    unknown = sorted(chosen - set(EVENT_TYPES))
    if unknown:
        raise DataError(f"{where}: label(s) {unknown} not in the codebook ({', '.join(EVENT_TYPES)})")
    return ";".join(t for t in EVENT_TYPES if t in chosen)


def passes_frame(sample: pd.DataFrame, a: pd.DataFrame, b: pd.DataFrame, adjudicated: pd.DataFrame | None):
    """Join two passes (and an adjudication of their disputes) into annotation-file rows.

    Documents both passes label alike get an ``adjudicated`` row by agreement; disputed ones get
    the adjudication's label where it exists.

    Raises
    ------
    DataError
        If a sampled document lacks a pass, or a dispute lacks its adjudication when one is given.

    Returns
    -------
    DataFrame
        ``doc_id``, ``pass``, ``labels``, ``stratum``, ``codebook_version``, ``annotator``.
    """
    for name, part in (("a", a), ("b", b)):
        missing = [d for d in sample["doc_id"] if d not in set(part["doc_id"])]
        if missing:
            raise DataError(f"pass {name}: {len(missing)} sampled documents not annotated, first {missing[0]}")
    strata = sample.set_index("doc_id")["stratum"]
    la, lb = a.set_index("doc_id")["labels"], b.set_index("doc_id")["labels"]
    rows = []
    for doc_id in sample["doc_id"]:
        rows.append((doc_id, "a", la[doc_id], "annotator_a"))
        rows.append((doc_id, "b", lb[doc_id], "annotator_b"))
        if la[doc_id] == lb[doc_id]:
            rows.append((doc_id, "adjudicated", la[doc_id], "agreement"))
        elif adjudicated is not None:
            decided = adjudicated.set_index("doc_id")["labels"]
            if doc_id not in decided.index:
                raise DataError(f"adjudication: disputed {doc_id} is not adjudicated")
            rows.append((doc_id, "adjudicated", decided[doc_id], "adjudicator"))
    out = pd.DataFrame(rows, columns=["doc_id", "pass", "labels", "annotator"])
    out.insert(3, "stratum", out["doc_id"].map(strata))
    out.insert(4, "codebook_version", str(CODEBOOK_VERSION))
    return out


def disputes(a: pd.DataFrame, b: pd.DataFrame, sample: pd.DataFrame) -> pd.DataFrame:
    """Return the sampled documents whose two passes differ, with both label sets.

    Returns
    -------
    DataFrame
        ``doc_id``, ``collection``, ``stratum``, ``labels_a`` and ``labels_b``.
    """
    both = sample.merge(a.rename(columns={"labels": "labels_a"}), on="doc_id", validate="one_to_one")
    both = both.merge(b.rename(columns={"labels": "labels_b"}), on="doc_id", validate="one_to_one")
    return both.loc[both["labels_a"] != both["labels_b"], ["doc_id", "collection", "stratum", "labels_a", "labels_b"]]
