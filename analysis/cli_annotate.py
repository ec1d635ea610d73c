"""``python -m analysis annotate export|import``: a gold round through Label Studio (``docs/annotate.md``)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from analysis import paths
from analysis.errors import DataError

log = logging.getLogger("analysis")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``annotate`` and its two commands."""
    annotate = sub.add_parser(
        "annotate",
        help="a gold round through Label Studio: export tasks, import the annotators' exports",
        description="Draw a random sample of a collection and write Label Studio projects for two annotators "
        "(export); read their JSON exports back into an annotation file, with agreement and disputes (import). "
        "Step by step: docs/annotate.md.",
    )
    commands = annotate.add_subparsers(dest="annotate_command", required=True)
    out = commands.add_parser("export", help="draw a sample and write the two projects' tasks and config")
    out.add_argument("directory", help="the round's folder (outside the repository: tasks hold document texts)")
    out.add_argument("--collection", nargs="+", required=True, help="collections to draw from")
    size = out.add_mutually_exclusive_group(required=True)
    size.add_argument("--n", type=int, help="text groups to draw per collection")
    size.add_argument("--half-width", type=float, help="as many as plan-annotation says this half-width needs")
    out.add_argument("--types", nargs="*", default=None, help="with --half-width: the types to plan for (default: all)")
    out.add_argument("--stratum", default="own_random", help="stratum name of the drawn documents")
    out.add_argument("--seed", type=int, default=20261206, help="seed of the draw")
    out.add_argument("--force", action="store_true", help="overwrite the folder's files")
    out.set_defaults(func=_export)
    back = commands.add_parser("import", help="read the annotators' JSON exports into an annotation file")
    back.add_argument("directory", help="the round's folder, as written by `annotate export`")
    back.add_argument("--a", required=True, help="Label Studio JSON export of annotator a's project")
    back.add_argument("--b", required=True, help="Label Studio JSON export of annotator b's project")
    back.add_argument("--adjudicated", help="JSON export of the adjudication project (tasks_adjudicated.json)")
    back.add_argument(
        "-o", "--output", required=True, help="the annotation file to write (e.g. annotations/labels_own.csv)"
    )
    back.add_argument("--force", action="store_true", help="overwrite an existing annotation file")
    back.set_defaults(func=_import)


def _export(args: argparse.Namespace) -> None:
    import pandas as pd

    from analysis.io import write_csv, write_text
    from analysis.labels import label_studio
    from analysis.params import load_params
    from analysis.study import planner

    folder = Path(args.directory)
    targets = [folder / n for n in ("sample.csv", "config.xml", "tasks_a.json", "tasks_b.json")]
    if any(t.exists() for t in targets) and not args.force:
        raise DataError(f"{folder}: already holds a round (sample.csv); pass --force to overwrite")
    columns = ["doc_id", "collection", "title", "text", "text_group", "sealed", "sealed_group"]
    documents = pd.read_parquet(paths.DOCUMENTS, columns=columns)
    unknown = sorted(set(args.collection) - set(documents["collection"]))
    if unknown:
        raise DataError(f"--collection: no document of {unknown} in {paths.DOCUMENTS}")
    gold = (
        pd.read_parquet(paths.GOLD, columns=["text_group"])
        if paths.GOLD.is_file()
        else pd.DataFrame(columns=["text_group"])
    )
    counts = {c: args.n for c in args.collection} if args.n is not None else _planned(args, load_params("report"))
    sample = planner.draw_plan(documents, gold, counts, seed=args.seed, stratum=args.stratum)
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "sample.csv", sample)
    write_text(folder / "config.xml", label_studio.labelling_config())
    for name in ("a", "b"):
        tasks = label_studio.tasks(sample, documents, pass_name=name)
        write_text(folder / f"tasks_{name}.json", json.dumps(tasks, indent=1, ensure_ascii=False) + "\n")
    log.info("wrote %d sampled documents, config.xml and tasks_a.json/tasks_b.json to %s", len(sample), folder)


def _planned(args: argparse.Namespace, params) -> dict[str, int]:
    if not paths.CROSSFIT_PREDICTIONS.is_file():
        raise DataError("--half-width needs the pipeline's predictions (run dvc repro first), or give --n")
    table = plan_table(params, types=args.types, by=[], half_width=args.half_width, collections=args.collection)
    return table.groupby("collection")["n_more_collection"].max().astype(int).to_dict()


def plan_table(params, *, types: list[str] | None, by: list[str], half_width: float, collections=None):
    """Run :func:`analysis.study.planner.plan` on the pipeline's outputs (``plan-annotation``, ``annotate export``).

    Returns
    -------
    DataFrame
        The columns of :func:`analysis.study.planner.plan`, per collection (and ``by`` group).
    """
    import pandas as pd

    from analysis import engine
    from analysis.codebook import EVENT_TYPES
    from analysis.documents import eligible
    from analysis.params import load_params
    from analysis.study import design, inputs, planner

    types = types or list(EVENT_TYPES)
    unknown = sorted(set(types) - set(EVENT_TYPES))
    if unknown:
        raise DataError(f"--types: not event types of the codebook: {unknown}")
    with engine.executor(load_params("engine")) as executor:
        labelled = inputs.labelled_documents_files(paths.DOCUMENTS, paths.PREDICTIONS, engine=executor)
    labelled = labelled.assign(outlet_group=lambda d: d["outlet"].map(params.outlet_groups).fillna("unassigned"))
    if "year" in by:
        labelled = labelled.assign(year=labelled["event_date"].dt.year.astype("Int64"))
    population = design.with_crossfit(eligible(labelled), pd.read_parquet(paths.CROSSFIT_PREDICTIONS))
    population = population.dropna(subset=by)
    if collections is not None:
        population = population[population["collection"].isin(collections)]
    gold = design.design_gold(pd.read_parquet(paths.GOLD), sample_strata=params.sample_strata)
    return planner.plan(
        population, gold, by=["collection", *by], types=types, half_width=half_width, level=params.ci_level
    )


def _import(args: argparse.Namespace) -> None:
    import pandas as pd

    from analysis.io import write_csv, write_text
    from analysis.labels import gold, label_studio

    folder, output = Path(args.directory), Path(args.output)
    if output.exists() and not args.force:
        raise DataError(f"{output}: already exists (a committed round is the record); pass --force to overwrite")
    sample = pd.read_csv(folder / "sample.csv", dtype=str)
    a = label_studio.read_export(Path(args.a), sample, pass_name="a", complete=True)
    b = label_studio.read_export(Path(args.b), sample, pass_name="b", complete=True)
    adjudicated = None
    if args.adjudicated:
        adjudicated = label_studio.read_export(Path(args.adjudicated), sample, pass_name="adjudicated")
    disputed = label_studio.disputes(a, b, sample)
    rows = label_studio.passes_frame(sample, a, b, adjudicated)
    agreement = gold.annotation_agreement(rows[rows["pass"] != "adjudicated"])  # the two passes, every document
    sys.stdout.write(agreement.round(3).to_string(index=False) + "\n")
    if len(disputed) and adjudicated is None:
        write_csv(folder / "disputes.csv", disputed)
        documents = pd.read_parquet(paths.DOCUMENTS, columns=["doc_id", "title", "text"])
        shown = disputed[["doc_id", "labels_a", "labels_b"]].replace("", "(none)")
        tasks = label_studio.tasks(
            sample[sample["doc_id"].isin(disputed["doc_id"])],
            documents,
            pass_name="adjudicated",
            of=sample,
            shown=shown,
        )
        write_text(folder / "tasks_adjudicated.json", json.dumps(tasks, indent=1, ensure_ascii=False) + "\n")
        write_text(folder / "config_adjudication.xml", label_studio.labelling_config(adjudication=True))
        raise DataError(
            f"{len(disputed)} disputed documents ({folder / 'disputes.csv'}): adjudicate tasks_adjudicated.json in a "
            f"third project (config_adjudication.xml), then import again with --adjudicated; {output} was not written"
        )
    write_csv(output, rows)
    log.info("wrote %d rows (%d documents) to %s", len(rows), len(sample), output)
    if output.resolve().parent != paths.OWN_ANNOTATIONS.resolve():
        log.warning("the gold stage reads only %s/*.csv: move %s there to use the round", paths.OWN_ANNOTATIONS, output)


def parse_count(value: str) -> tuple[str, int]:
    """Parse ``NAME=N`` (a collection and how many of its documents to draw)."""
    name, _, n = value.partition("=")
    if not name or not n.isdigit():
        raise argparse.ArgumentTypeError(f"expected NAME=N (e.g. fakes=150), got {value!r}")
    return name, int(n)


def add_active_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``sample-active``: an active-learning round where the saved model is least sure."""
    active = sub.add_parser(
        "sample-active",
        help="draw an active-learning round: the documents the saved model is least sure of (ids and margins only)",
        description="Draw, per collection, the eligible documents outside every earlier round whose predicted "
        "probability lies nearest a type's threshold (analysis/labels/active.py). Run dvc repro first: the draw "
        "reads the saved model's thresholds and data/processed/predictions.parquet.",
    )
    active.add_argument("-o", "--output", required=True, help="the new sample file (never an existing one)")
    active.add_argument(
        "--stratum", required=True, help="stratum name of the round (list it in gold.train_only_strata)"
    )
    active.add_argument(
        "--per-collection", nargs="+", type=parse_count, required=True, metavar="NAME=N", help="per collection"
    )
    active.add_argument("--texts", default=None, help="also write the texts to annotate here (outside the repo)")
    active.set_defaults(func=_sample_active)


def _sample_active(args: argparse.Namespace) -> None:
    import pandas as pd

    from analysis.documents import ELIGIBILITY_COLUMNS
    from analysis.io import write_csv
    from analysis.labels.active import draw_uncertain
    from analysis.model import persist

    out = Path(args.output)
    if out.exists():
        raise DataError(f"{args.output}: already exists (a committed sample is the record)")
    counts = dict(args.per_collection)
    columns = ["doc_id", "collection", "title", "text", "text_group", *ELIGIBILITY_COLUMNS]
    documents = pd.read_parquet(paths.DOCUMENTS, columns=columns)
    earlier = [paths.ANNOTATION_SAMPLE, *paths.ANNOTATION_SUPPLEMENTS, paths.ANNOTATION_FRESH_TEST]
    earlier += [paths.ANNOTATION_FIRST_REPORT_SAMPLE, *paths.ANNOTATION_ACTIVE_SAMPLES]
    drawn_before = pd.concat([pd.read_csv(p, dtype=str, usecols=["doc_id"]) for p in earlier])
    groups = documents.loc[documents["doc_id"].isin(drawn_before["doc_id"]), "text_group"]
    thresholds = persist.load(paths.MODEL).thresholds
    predictions = pd.read_parquet(paths.PREDICTIONS)
    drawn = draw_uncertain(
        documents, predictions, thresholds, exclude_groups=groups, per_collection=counts, stratum=args.stratum
    )
    write_csv(out, drawn)
    log.info("wrote %d doc_ids to %s", len(drawn), out)
    if args.texts:
        texts = Path(args.texts).resolve()
        if texts.is_relative_to(paths.ROOT):
            raise DataError(f"--texts {args.texts}: inside the repository; texts are never committed")
        write_csv(texts, documents[documents["doc_id"].isin(drawn["doc_id"])][["doc_id", "title", "text"]])
