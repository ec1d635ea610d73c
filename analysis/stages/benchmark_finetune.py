"""Stage ``benchmark_finetune`` (benchmarks/dvc.yaml): the fine-tuned encoder family on the six tasks, chosen on dev."""

import dataclasses

import pandas as pd

from analysis import paths
from analysis.corpus import readers
from analysis.io import write_csv, write_table
from analysis.params import load_params
from analysis.stages._common import run
from analysis.yardstick import benchmark, finetune


def _one(task: str) -> dict:
    # runs in a fresh process, like the benchmark stage's tasks
    params, train = load_params("benchmark"), load_params("train")
    splits = {s: readers.read_labelled_tsv(paths.BENCHMARK_RAW / task / f"{s}.tsv") for s in params.tasks[task].sha256}
    spec = dataclasses.replace(train.encoder, max_passages=params.finetune_max_passages)
    result = finetune.run_task_finetuned(
        params.tasks[task],
        splits,
        spec=spec,
        max_train=params.finetune_max_train,
        seed=load_params("base").seed,
        threshold_step=train.threshold_step,
    )
    return {"task": task, **result}


def main() -> None:
    """Fine-tune per task; write the results and the table of the family dev chose per task."""
    tasks = load_params("benchmark").tasks
    results = benchmark.run_tasks_apart(_one, tasks)
    write_csv(paths.BENCHMARK_FINETUNE_RESULTS, results)
    table = finetune.family_table(pd.read_csv(paths.BENCHMARK_RESULTS), results, tasks)
    caption = "The family chosen on dev per task (linear or fine-tuned encoder) against BERT-base and ConfliBERT."
    write_table(paths.BENCHMARK_FAMILIES, table, caption=caption)


if __name__ == "__main__":
    run(main)
