"""Stage ``clean``: raw files -> documents, reports and the ledger of every input row."""

import tempfile

from analysis import engine, paths
from analysis.corpus import partitions
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Stream every collection through the partitioned clean, by its kind, on the configured engine."""
    acquire = load_params("acquire")
    engine_params = load_params("engine")
    sources = {spec.name: (spec, paths.raw_file(spec.file)) for spec in acquire.collections}
    paths.INTERIM.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(dir=paths.INTERIM, prefix=".clean-") as workdir,
        engine.executor(engine_params) as executor,
    ):
        partitions.build_corpus_files(
            sources,
            params=load_params("clean"),
            seed=load_params("base").seed,
            engine=executor,
            workdir=workdir,
            chunk_rows=engine_params.partition_rows,
            out_documents=paths.DOCUMENTS,
            out_reports=paths.REPORTS,
            out_ledger=paths.LEDGER,
        )


if __name__ == "__main__":
    run(main)
