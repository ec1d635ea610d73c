"""The user-facing command line: ``python -m analysis <command> ...``."""

from __future__ import annotations

import argparse
import itertools
import logging
import sys
from pathlib import Path

from analysis import cli_annotate, paths
from analysis.errors import EXPECTED_ERRORS, DataError, ParamsError
from analysis.params import load_params


def _new_output(path: str, *, force: bool) -> Path:
    """Return a sampling command's output path; an existing file (a committed record) needs ``force``."""
    out = Path(path)
    if out.exists() and not force:
        raise DataError(f"{path}: already exists (a committed sample is the record); pass --force to overwrite")
    return out


def _sample_annotations(args: argparse.Namespace) -> None:
    import pandas as pd  # imported per command: `classify` and `--help` start faster without the rest

    from analysis.io import write_csv
    from analysis.labels.annotation import draw_sample

    output = _new_output(args.output, force=args.force)
    documents = pd.read_parquet(paths.DOCUMENTS)
    seed = args.seed if args.seed is not None else load_params("base").seed
    sample = draw_sample(documents, per_collection=args.per_collection, n_siege=args.n_siege, seed=seed)
    write_csv(output, sample)
    logging.getLogger("analysis").info("wrote %d sampled doc_ids to %s", len(sample), output)


def _sample_outside(args: argparse.Namespace) -> None:
    import pandas as pd

    from analysis.io import write_csv
    from analysis.labels import annotation

    output = _new_output(args.output, force=args.force)
    missing = [path for path in args.exclude if not Path(path).is_file()]
    if missing:
        raise DataError(f"{missing[0]}: no such sample file to exclude")
    from analysis.documents import ELIGIBILITY_COLUMNS

    columns = ["doc_id", "collection", "text", "text_group", *ELIGIBILITY_COLUMNS]
    documents = pd.read_parquet(paths.DOCUMENTS, columns=columns)
    drawn_before = pd.concat([pd.read_csv(path, dtype=str) for path in args.exclude])
    groups = documents.loc[documents["doc_id"].isin(drawn_before["doc_id"]), "text_group"]
    seed = args.seed if args.seed is not None else load_params("base").seed
    counts = dict(args.per_collection)
    unknown = sorted(set(counts) - set(documents["collection"].unique()))
    if unknown:
        raise DataError(f"--per-collection: no document of collection(s) {unknown} in {paths.DOCUMENTS}")
    draw = getattr(annotation, args.draw)
    drawn = draw(documents, exclude_groups=groups, per_collection=counts, seed=seed)
    write_csv(output, drawn)
    logging.getLogger("analysis").info("wrote %d doc_ids to %s", len(drawn), output)


def _plan_annotation(args: argparse.Namespace) -> None:
    import pandas as pd

    from analysis.documents import ELIGIBILITY_COLUMNS
    from analysis.io import write_csv
    from analysis.study import planner

    output = _new_output(args.output, force=args.force) if args.output else None
    params = load_params("report")
    table = cli_annotate.plan_table(params, types=args.types, by=args.by, half_width=args.half_width)
    counts = table.groupby("collection")["n_more_collection"].max().astype(int)
    with pd.option_context("display.width", 120, "display.max_rows", 500):
        sys.stdout.write(table.round(4).to_string(index=False) + "\n")
        sys.stdout.write(f"random text groups to draw per collection: {counts.to_dict()}\n")
    if output is not None:
        documents = pd.read_parquet(
            paths.DOCUMENTS, columns=["doc_id", "collection", "text_group", *ELIGIBILITY_COLUMNS]
        )
        gold = pd.read_parquet(paths.GOLD, columns=["text_group"])  # every gold group, the active rounds' too
        drawn = planner.draw_plan(documents, gold, counts.to_dict(), seed=args.seed, stratum=args.stratum)
        write_csv(output, drawn)
        logging.getLogger("analysis").info(
            "wrote %d doc_ids to %s: annotate them, then add stratum %r to report.sample_strata",
            len(drawn),
            output,
            args.stratum,
        )


def _check_params(args: argparse.Namespace) -> None:
    from analysis.params import check_params

    loaded = check_params()
    logging.getLogger("analysis").info("params.yaml: all %d sections valid", len(loaded))


def _classify(args: argparse.Namespace) -> None:
    from analysis.model import new_text, persist

    fmt = new_text.input_format(args.input, given=args.format)
    out_fmt = new_text.output_format(args.output, given=args.output_format)
    frames = new_text.iter_input(args.input, fmt=fmt)
    first = next(frames)  # a bad input is reported before the model is loaded
    model = persist.load(args.model)
    max_chars = load_params("clean").max_text_chars  # the pipeline's cap: longer texts are refused, as it drops them
    seen: set[str] = set()
    chunks = (
        new_text.classify_chunk(frame, model, seen_ids=seen, max_text_chars=max_chars)
        for frame in itertools.chain([first], frames)
    )
    counts = new_text.write_output(chunks, args.output, fmt=out_fmt)
    refused = {k: v for k, v in counts.items() if v and k != "ok"}
    log = logging.getLogger("analysis")
    if refused:
        log.warning("%d rows classified; not classified (see their status): %s", counts["ok"], refused)
    else:
        log.info("%d rows classified", counts["ok"])


def _docs(args: argparse.Namespace) -> None:
    from analysis.publish.docs import update_docs

    stale = update_docs(check=args.check)
    if stale and args.check:
        raise DataError(
            f"README.md and docs/ differ from the pipeline outputs: {stale} (run `python -m analysis docs`)"
        )
    logging.getLogger("analysis").info(
        "README and docs %s: %s", "checked" if args.check else "refreshed", stale or "all current"
    )


def _manifest(args: argparse.Namespace) -> None:
    from analysis.publish.manifest import write_manifest

    write_manifest()
    logging.getLogger("analysis").info("wrote %s", paths.relative(paths.MANIFEST))


def _score_test(args: argparse.Namespace) -> None:
    from analysis.publish.heldout import score_test

    score_test(reason=args.reason, check=args.check)


def _dvc_deps(args: argparse.Namespace) -> None:
    from analysis import dvc_deps

    if args.check:
        stale = dvc_deps.stale()
        if stale:
            raise DataError(f"dvc.yaml code deps differ from the imports: {stale} (run `make dvc-yaml`)")
        logging.getLogger("analysis").info("every stage's code deps match its imports")
        return
    was = dvc_deps.rewrite()
    logging.getLogger("analysis").info("code deps rewritten from the imports: %s", was or "all were current")


def _experiments(args: argparse.Namespace) -> None:
    from analysis.publish.experiments import show_experiments

    sys.stdout.write(show_experiments(width=args.width, all_params=args.all_params) + "\n")


def _multiverse(args: argparse.Namespace) -> None:
    from analysis.io import write_csv, write_table
    from analysis.publish import multiverse

    log = logging.getLogger("analysis")
    if args.step == "queue":
        log.info("queued %s; run them with `dvc queue start -j 1`", ", ".join(multiverse.queue()))
    elif args.step == "wait":
        multiverse.wait()
    else:
        found = multiverse.collect()
        write_csv(paths.MULTIVERSE_RECORDS, found)
        caption = "The multiverse's run time on this machine: each variant, one at a time, and the whole queue."
        timed = multiverse.timing(found, paths.MULTIVERSE_QUEUED.read_text())
        write_table(paths.MULTIVERSE_TIMING, timed, caption=caption, float_format="{:.0f}")
        log.info(
            "wrote %d findings of %d variants to %s", len(found), found["variant"].nunique(), paths.MULTIVERSE_RECORDS
        )


def _sample_first_reports(args: argparse.Namespace) -> None:
    import pandas as pd

    from analysis.corpus.events import first_reports
    from analysis.documents import ELIGIBILITY_COLUMNS
    from analysis.io import write_csv
    from analysis.labels import annotation

    before = pd.read_csv(args.output) if args.add_batch else None  # the round so far, extended by a batch
    output = Path(args.output) if args.add_batch else _new_output(args.output, force=args.force)
    events = pd.read_parquet(paths.DOCUMENTS, columns=["doc_id", "collection", *ELIGIBILITY_COLUMNS])
    counts = dict(args.per_collection)
    events = events[events["collection"].isin(load_params("acquire").of_kind("event_reports"))]
    unknown = sorted(set(counts) - set(events["collection"].unique()))
    if unknown:
        raise DataError(f"--per-collection: no event of collection(s) {unknown} in {paths.DOCUMENTS}")
    seed = args.seed if args.seed is not None else load_params("base").seed
    drawn = annotation.draw_first_reports(events, per_collection=counts, seed=seed, before=before)
    write_csv(output, drawn)
    logging.getLogger("analysis").info("wrote %d event ids to %s", len(drawn), output)
    if args.texts:  # the headlines annotators read: article text, so never inside the repository
        reports = pd.read_parquet(paths.REPORTS, columns=["report_id", "doc_id", "lag_days", "headline"])
        new = drawn["batch"] == drawn["batch"].max()  # the headlines of the new batch
        first = first_reports(reports[reports["doc_id"].isin(drawn.loc[new, "doc_id"])])
        texts = Path(args.texts).resolve()
        if texts.is_relative_to(paths.ROOT):
            raise DataError(f"--texts {args.texts}: inside the repository; headlines are never committed")
        write_csv(texts, first[["doc_id", "headline"]])


def _outside_arguments(
    parser: argparse.ArgumentParser, *, per_collection: dict[str, int], exclude: list[Path], exclude_help: str
) -> None:
    """Add the arguments of a sample drawn outside earlier samples' text groups (supplement, fresh test)."""
    counts = " ".join(f"{name}={n}" for name, n in per_collection.items())
    parser.add_argument(
        "--per-collection",
        nargs="+",
        type=cli_annotate.parse_count,
        default=list(per_collection.items()),
        metavar="NAME=N",
        help=f"how many to draw per collection (default: {counts})",
    )
    parser.add_argument(
        "--exclude",
        nargs="+",
        default=[str(p) for p in exclude],
        help=f"sample files whose documents' text groups are not drawn again (default: {exclude_help})",
    )
    parser.add_argument("--seed", type=int, default=None, help="default: base.seed in params.yaml")
    parser.add_argument("--force", action="store_true", help="overwrite an existing output file")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m analysis``."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    cls = sub.add_parser(
        "classify",
        help="label new text with event types",
        description="Classify the rows of a CSV, JSONL or Parquet file (id, text, optional title), or one raw article "
        "on standard input ('-'). Every input row gets one output row with its status (docs/methods.md).",
    )
    cls.add_argument("input", help="a .csv, .jsonl or .parquet file with id and text columns, or - for standard input")
    cls.add_argument(
        "--format",
        choices=["csv", "jsonl", "parquet", "text"],
        help="the input's format (default: from the extension; standard input: text, one raw article)",
    )
    cls.add_argument(
        "-o", "--output", help="output file (.jsonl, .csv or .parquet); standard output (JSONL) if omitted"
    )
    cls.add_argument(
        "--output-format", choices=["jsonl", "csv", "parquet"], help="default: from the output's extension"
    )
    cls.add_argument("--model", default=str(paths.MODEL), help="a model file from the train stage")
    cls.set_defaults(func=_classify)
    checked = sub.add_parser("check-params", help="check all of params.yaml (every section, and across sections)")
    checked.set_defaults(func=_check_params)
    manifest = sub.add_parser("manifest", help="write data/reporting/manifest.json (run after dvc repro)")
    manifest.set_defaults(func=_manifest)
    scored = sub.add_parser(
        "score-test",
        help="score the frozen test set (the only command that reads test; logs it in docs/decisions.md)",
        description="Run the frozen score_test stage. With --reason, a scoring of the adopted model: its outputs "
        "under results/test/ and dvc.lock are replaced and the scoring is logged in docs/decisions.md. With "
        "--check, the committed scoring must reproduce byte for byte (what CI runs); nothing is logged.",
    )
    mode = scored.add_mutually_exclusive_group(required=True)
    mode.add_argument("--reason", help="why test is scored now (logged with the date)")
    mode.add_argument("--check", action="store_true", help="re-run and compare with the committed scoring only")
    scored.set_defaults(func=_score_test)
    deps = sub.add_parser(
        "dvc-deps",
        help="write each DVC stage's code deps (the package modules it imports) into the dvc.yaml files",
    )
    deps.add_argument("--check", action="store_true", help="only compare; exit 1 if a stage's list is stale")
    deps.set_defaults(func=_dvc_deps)
    exps = sub.add_parser(
        "experiments",
        help="the dvc experiments in a table of 120 columns: changed params and headline dev metrics",
    )
    exps.add_argument("--width", type=int, default=120, help="the terminal width to fit (default: 120)")
    exps.add_argument("--all-params", action="store_true", help="every param, not only those that differ")
    exps.set_defaults(func=_experiments)
    verse = sub.add_parser(
        "multiverse",
        help="the robustness multiverse: queue its DVC experiments, wait for them, collect their findings",
        description="queue: one `dvc exp run --queue` per analysis choice (analysis/publish/multiverse.py); wait: "
        "until the queue is empty; collect: every finding of every variant into checks/records/multiverse.csv.",
    )
    verse.add_argument("step", choices=["queue", "wait", "collect"])
    verse.set_defaults(func=_multiverse)
    docs = sub.add_parser(
        "docs", help="refresh the numbers, tables and figures that README.md and docs/ quote from the outputs"
    )
    docs.add_argument("--check", action="store_true", help="only compare; exit 1 if anything is stale")
    docs.set_defaults(func=_docs)
    sample = sub.add_parser("sample-annotations", help="draw the gold-standard sample (ids and strata only)")
    sample.add_argument("-o", "--output", default=str(paths.ANNOTATION_SAMPLE))
    sample.add_argument("--per-collection", type=int, default=180)
    sample.add_argument("--n-siege", type=int, default=160)
    sample.add_argument("--seed", type=int, default=None, help="default: base.seed in params.yaml")
    sample.add_argument("--force", action="store_true", help="overwrite an existing output file")
    sample.set_defaults(func=_sample_annotations)
    supplement = sub.add_parser(
        "sample-supplement",
        help="draw the round-2 training supplement (territorial cues; ids and strata only)",
        description="Draw eligible documents outside the gold sample's text groups that match the "
        "territorial cues; the gold table puts them in train only.",
    )
    supplement.add_argument("-o", "--output", required=True, help="the new sample file (never an existing one)")
    _outside_arguments(
        supplement,
        per_collection={"fakes": 150, "ucdp_iraq": 120, "ucdp_syria": 250},
        exclude=[paths.ANNOTATION_SAMPLE],
        exclude_help="the round-1 sample; name every earlier batch too",
    )
    supplement.set_defaults(func=_sample_outside, draw="draw_supplement")
    fresh = sub.add_parser(
        "sample-test",
        help="draw the fresh test sample (random, outside every gold text group; ids and strata only)",
        description="Draw eligible documents at random outside the text groups of every earlier sample; "
        "annotated and frozen, they are the test split, scored once.",
    )
    fresh.add_argument("-o", "--output", default=str(paths.ANNOTATION_FRESH_TEST))
    _outside_arguments(
        fresh,
        per_collection={"fakes": 200, "ucdp_iraq": 250, "ucdp_syria": 400},
        exclude=[paths.ANNOTATION_SAMPLE, *paths.ANNOTATION_SUPPLEMENTS],
        exclude_help="every earlier sample",
    )
    fresh.set_defaults(func=_sample_outside, draw="draw_fresh_test")
    firsts = sub.add_parser(
        "sample-first-reports",
        help="draw events for the first-report round (uniform per collection; ids and probabilities only)",
        description="Draw eligible events at random per collection; their first report's headline is annotated "
        "(annotations/README.md), the gold of the event-level models' types.",
    )
    firsts.add_argument("-o", "--output", default=str(paths.ANNOTATION_FIRST_REPORT_SAMPLE))
    firsts.add_argument(
        "--per-collection",
        nargs="+",
        type=cli_annotate.parse_count,
        default=[("ucdp_iraq", 150), ("ucdp_syria", 150)],
        metavar="NAME=N",
        help="how many events to draw per collection (default: ucdp_iraq=150 ucdp_syria=150)",
    )
    firsts.add_argument("--texts", default=None, help="also write the headlines to annotate here (outside the repo)")
    firsts.add_argument(
        "--add-batch", action="store_true", help="draw a further batch outside the output file's events, and add it"
    )
    firsts.add_argument("--seed", type=int, default=None, help="default: base.seed in params.yaml")
    firsts.add_argument("--force", action="store_true", help="overwrite an existing output file")
    firsts.set_defaults(func=_sample_first_reports)
    planned = sub.add_parser(
        "plan-annotation",
        help="how many more random gold documents each share needs for a half-width; writes a sample to annotate",
        description="Read the current gold and the cross-fitted predictions (run dvc repro first) and say, per "
        "collection (and per --by group), how many more random text groups each type's share needs to reach "
        "--half-width under the study's design (docs/methods.md, 'The annotation planner').",
    )
    planned.add_argument("--half-width", type=float, default=0.05, help="target half-width (default 0.05)")
    planned.add_argument("--by", nargs="*", default=[], choices=["year", "outlet_group"], help="also per group")
    planned.add_argument("--types", nargs="*", default=None, help="event types to plan for (default: all)")
    planned.add_argument("-o", "--output", default=None, help="write the sample to annotate here (ids and strata)")
    planned.add_argument("--stratum", default="planned_random", help="stratum name of the drawn documents")
    planned.add_argument("--seed", type=int, default=20261206, help="seed of the draw")
    planned.add_argument("--force", action="store_true", help="overwrite an existing output file")
    planned.set_defaults(func=_plan_annotation)
    cli_annotate.add_parser(sub)
    cli_annotate.add_active_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; expected failures print one ``error:`` line and return 1."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except EXPECTED_ERRORS as exc:
        sys.stderr.write(f"error: {exc}\n")
        if isinstance(exc, ParamsError):
            sys.stderr.write(f"{PARAMS_HINT}\n")
        return 1
    return 0


PARAMS_HINT = (
    "hint: fix params.yaml and run again; `git checkout params.yaml dvc.lock && dvc checkout` returns to the last "
    "committed parameters and restores their outputs"
)


if __name__ == "__main__":
    sys.exit(main())
