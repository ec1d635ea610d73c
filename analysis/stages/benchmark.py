"""Stage ``benchmark`` (benchmarks/dvc.yaml): train, tune on dev, score once on test, per task."""

from analysis import paths
from analysis.corpus import readers
from analysis.io import write_csv, write_table
from analysis.params import load_params
from analysis.stages._common import run
from analysis.study.style import save
from analysis.yardstick import benchmark, figures


def _one(task: str) -> dict:
    # runs in a fresh process, so its peak resident memory is this task's alone
    params = load_params("benchmark")
    splits = {s: readers.read_labelled_tsv(paths.BENCHMARK_RAW / task / f"{s}.tsv") for s in params.tasks[task].sha256}
    result = benchmark.run_task(
        params.tasks[task],
        splits,
        spec=load_params("train").spec(),
        c_grid=params.c_grid,
        cv_folds=params.cv_folds,
        seed=load_params("base").seed,
        threshold_step=load_params("train").threshold_step,
        encoder=params.encoder,
        encoder_weights=params.encoder_weights,
    )
    return {"task": task, **result}


def main() -> None:
    """Run every task in its own process; write results, the comparison table and the figure."""
    tasks = list(load_params("benchmark").tasks)
    results = benchmark.run_tasks_apart(_one, tasks)
    write_csv(paths.BENCHMARK_RESULTS, results)
    comparison = benchmark.comparison_table(results, load_params("benchmark").tasks)
    write_table(
        paths.BENCHMARK_COMPARISON,
        comparison,
        caption="Our classifier family against published BERT-base and ConfliBERT scores (Hu et al. 2022, Table 3).",
    )
    save(figures.benchmark_score_vs_compute(comparison), paths.BENCHMARK_FIGURE)


if __name__ == "__main__":
    run(main)
