"""The user-facing command line: ``python -m analysis <command> ...``."""

from __future__ import annotations

import argparse
import logging
import sys

import pandas as pd

from analysis import paths
from analysis.errors import EXPECTED_ERRORS


def _sample_annotations(args: argparse.Namespace) -> None:
    from analysis.annotation import draw_sample
    from analysis.io import write_csv

    documents = pd.read_parquet(paths.DOCUMENTS)
    sample = draw_sample(documents, per_collection=args.per_collection, n_siege=args.n_siege, seed=args.seed)
    write_csv(args.output, sample)
    logging.getLogger("analysis").info("wrote %d sampled doc_ids to %s", len(sample), args.output)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m analysis``."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sample = sub.add_parser("sample-annotations", help="draw the gold-standard sample (ids and strata only)")
    sample.add_argument("-o", "--output", default=str(paths.ROOT / "annotations" / "sample.csv"))
    sample.add_argument("--per-collection", type=int, default=180)
    sample.add_argument("--n-siege", type=int, default=160)
    sample.add_argument("--seed", type=int, default=20261125)
    sample.set_defaults(func=_sample_annotations)
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
