"""Stage ``clean``: raw files -> documents, reports and the ledger of every input row."""

from analysis import corpus, paths
from analysis.io import write_parquet
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Read the three sources, clean, group near-duplicates, seal, and write the tables."""
    base = load_params("base")
    params = load_params("clean")
    raw = corpus.read_sources(paths.RAW, acquire=load_params("acquire"))
    documents, reports, ledger = corpus.build_corpus(raw, params=params, seed=base.seed)
    write_parquet(paths.DOCUMENTS, documents)
    write_parquet(paths.REPORTS, reports)
    write_parquet(paths.LEDGER, ledger)


if __name__ == "__main__":
    run(main)
