"""The user-facing command line: ``python -m analysis <command> ...``."""

from __future__ import annotations

import argparse
import itertools
import logging
import sys
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import EXPECTED_ERRORS, DataError
from analysis.params import load_params


def _new_output(path: str, *, force: bool) -> Path:
    """Return a sampling command's output path; an existing file (a committed record) needs ``force``."""
    out = Path(path)
    if out.exists() and not force:
        raise DataError(f"{path}: already exists (a committed sample is the record); pass --force to overwrite")
    return out


def _sample_annotations(args: argparse.Namespace) -> None:
    from analysis.annotation import draw_sample
    from analysis.io import write_csv

    output = _new_output(args.output, force=args.force)
    documents = pd.read_parquet(paths.DOCUMENTS)
    seed = args.seed if args.seed is not None else load_params("base").seed
    sample = draw_sample(documents, per_collection=args.per_collection, n_siege=args.n_siege, seed=seed)
    write_csv(output, sample)
    logging.getLogger("analysis").info("wrote %d sampled doc_ids to %s", len(sample), output)


def _sample_outside(args: argparse.Namespace) -> None:
    from analysis import annotation
    from analysis.io import write_csv

    output = _new_output(args.output, force=args.force)
    missing = [path for path in args.exclude if not Path(path).is_file()]
    if missing:
        raise DataError(f"{missing[0]}: no such sample file to exclude")
    documents = pd.read_parquet(paths.DOCUMENTS, columns=["doc_id", "collection", "text", *_ELIGIBILITY])
    drawn_before = pd.concat([pd.read_csv(path, dtype=str) for path in args.exclude])
    groups = documents.loc[documents["doc_id"].isin(drawn_before["doc_id"]), "text_group"]
    seed = args.seed if args.seed is not None else load_params("base").seed
    counts = {"fakes": args.fakes, "ucdp_iraq": args.ucdp_iraq, "ucdp_syria": args.ucdp_syria}
    draw = getattr(annotation, args.draw)
    drawn = draw(documents, exclude_groups=groups, per_collection=counts, seed=seed)
    write_csv(output, drawn)
    logging.getLogger("analysis").info("wrote %d doc_ids to %s", len(drawn), output)


_ELIGIBILITY = ["text_group", "sealed", "sealed_group"]


def _classify(args: argparse.Namespace) -> None:
    from analysis import classify, persist

    frames = classify.iter_input(args.input)
    first = next(frames)  # a bad input is reported before the model is loaded
    model = persist.load(args.model)
    chunks = (classify.classify_frame(frame, model) for frame in itertools.chain([first], frames))
    classify.write_output_chunks(chunks, args.output)


def _readme(args: argparse.Namespace) -> None:
    from analysis.readme import update_readme

    stale = update_readme(check=args.check)
    if stale and args.check:
        raise DataError(
            f"README.md: tables differ from the pipeline outputs: {stale} (run `python -m analysis readme`)"
        )
    logging.getLogger("analysis").info(
        "README tables %s: %s", "checked" if args.check else "refreshed", stale or "all current"
    )


def _manifest(args: argparse.Namespace) -> None:
    from analysis.manifest import write_manifest

    write_manifest()
    logging.getLogger("analysis").info("wrote %s", paths.relative(paths.MANIFEST))


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m analysis``."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    cls = sub.add_parser(
        "classify",
        help="label new text with event types",
        description="Classify CSV/JSONL rows (id, text, optional title) or one raw article on stdin ('-').",
    )
    cls.add_argument("input", help="a .csv or .jsonl file with id and text columns, or - for stdin")
    cls.add_argument("-o", "--output", help="output file: .jsonl (default) or .csv; standard output if omitted")
    cls.add_argument("--model", default=str(paths.MODEL), help="a model file from the train stage")
    cls.set_defaults(func=_classify)
    manifest = sub.add_parser("manifest", help="write data/reporting/manifest.json (run after dvc repro)")
    manifest.set_defaults(func=_manifest)
    readme = sub.add_parser("readme", help="copy the pipeline's Markdown tables into README.md")
    readme.add_argument("--check", action="store_true", help="only compare; exit 1 if any table is stale")
    readme.set_defaults(func=_readme)
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
    supplement.add_argument("--fakes", type=int, default=150)
    supplement.add_argument("--ucdp-iraq", type=int, default=120)
    supplement.add_argument("--ucdp-syria", type=int, default=250)
    supplement.add_argument(
        "--exclude",
        nargs="+",
        default=[str(paths.ANNOTATION_SAMPLE)],
        help="sample files whose documents' text groups are not drawn again (default: the round-1 sample; "
        "name every earlier batch too)",
    )
    supplement.add_argument("--seed", type=int, default=None, help="default: base.seed in params.yaml")
    supplement.add_argument("--force", action="store_true", help="overwrite an existing output file")
    supplement.set_defaults(func=_sample_outside, draw="draw_supplement")
    fresh = sub.add_parser(
        "sample-test",
        help="draw the fresh test sample (random, outside every gold text group; ids and strata only)",
        description="Draw eligible documents at random outside the text groups of every earlier sample; "
        "annotated and frozen, they are the test split, scored once.",
    )
    fresh.add_argument("-o", "--output", default=str(paths.ANNOTATION_FRESH_TEST))
    fresh.add_argument("--fakes", type=int, default=200)
    fresh.add_argument("--ucdp-iraq", type=int, default=250)
    fresh.add_argument("--ucdp-syria", type=int, default=400)
    fresh.add_argument(
        "--exclude",
        nargs="+",
        default=[str(paths.ANNOTATION_SAMPLE), *map(str, paths.ANNOTATION_SUPPLEMENTS)],
        help="sample files whose documents' text groups are not drawn again (default: every earlier sample)",
    )
    fresh.add_argument("--seed", type=int, default=None, help="default: base.seed in params.yaml")
    fresh.add_argument("--force", action="store_true", help="overwrite an existing output file")
    fresh.set_defaults(func=_sample_outside, draw="draw_fresh_test")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; expected failures print one ``error:`` line and return 1."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except EXPECTED_ERRORS as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
