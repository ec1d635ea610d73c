"""Stage ``summarize_corpus``: the corpus-at-a-glance and ledger tables, and corpus metrics."""

import pandas as pd

from analysis import paths
from analysis.corpus import summary
from analysis.io import write_json, write_table
from analysis.stages._common import run


def main() -> None:
    """Summarise documents, reports and the ledger into tables and ``metrics/corpus.json``."""
    documents = pd.read_parquet(paths.DOCUMENTS)
    reports = pd.read_parquet(paths.REPORTS)
    ledger = pd.read_parquet(paths.LEDGER)
    table = summary.corpus_summary(documents, reports)
    write_table(paths.CORPUS_SUMMARY, table, caption="The corpus at a glance.")
    write_table(paths.LEDGER_SUMMARY, summary.ledger_summary(ledger), caption="Fate of every input row.")
    total = table.set_index("collection").loc["all"]
    write_json(
        paths.CLEAN_METRICS,
        {
            "n_documents": int(total["n_documents"]),
            "n_reports": int(total["n_reports"]),
            "n_sealed": int(total["n_sealed"]),
            "n_text_groups": int(total["n_text_groups"]),
            "ledger": ledger.groupby("fate").size().astype(int).to_dict(),
        },
    )


if __name__ == "__main__":
    run(main)
