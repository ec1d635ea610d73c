"""The yardstick's figure: our score against published BERT-base and ConfliBERT, with compute."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.study.style import DOUBLE, paper_style


def benchmark_score_vs_compute(comparison: pd.DataFrame) -> plt.Figure:
    """Score against training-plus-inference time per ConfliBERT task, beside the published scores."""
    with paper_style():
        fig, ax = plt.subplots(figsize=(DOUBLE, 3.4))
        y = np.arange(len(comparison))
        ax.scatter(
            comparison["score_tfidf_only"], y, color="C0", marker="x", zorder=3, label="this package, TF-IDF only"
        )
        ax.scatter(
            comparison["score"], y, color="C0", zorder=3, label="this package, chosen on dev (linear SVM, 2 CPU cores)"
        )
        ax.scatter(
            comparison["bert_base_best"], y, color="C1", marker="s", zorder=3, label="BERT-base (published, GPU)"
        )
        ax.scatter(
            comparison["conflibert_best"], y, color="C3", marker="D", zorder=3, label="best ConfliBERT (published, GPU)"
        )
        for i, r in comparison.reset_index(drop=True).iterrows():
            ax.annotate(
                f"{r['train_plus_inference_seconds']:.0f} s",
                xy=(r["score"], i),
                xytext=(-4, 5),
                textcoords="offset points",
                ha="right",
                fontsize=6,
                color="C0",
            )
        ax.set_yticks(y, labels=[f"{t} ({m})" for t, m in zip(comparison["task"], comparison["metric"], strict=True)])
        ax.invert_yaxis()
        ax.set_xlabel("test score (%, the published metric); labels: our training + inference seconds")
        # below the axes: inside, it would cover the low scores
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, fontsize=6, frameon=False)
        return fig
