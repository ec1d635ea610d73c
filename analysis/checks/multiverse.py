"""The multiverse's findings across specifications: which keep their sign and significance (a check).

Reads the committed record of :mod:`analysis.publish.multiverse` (one row per variant and
finding). A finding survives a variant when its estimate keeps the baseline's sign and, where
the baseline's interval excludes zero, its interval still excludes zero; only the variants
that move a finding count for it, and a share (no sign, no null) gets its range alone.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.study.style import DOUBLE, paper_style


def survival(records: pd.DataFrame) -> pd.DataFrame:
    """Tabulate, per finding, the variants that reach it and how many keep its sign and its significance.

    A variant reaches a finding when it moves its estimate at all: a choice downstream of
    the finding (a share under a new hazard follow-up) leaves it as it was and counts for
    nothing. A share has no sign to keep and no null: only its range is given.

    Returns
    -------
    DataFrame
        ``finding``, ``estimate`` (baseline), ``significant`` (baseline interval excludes 0;
        never for a share), ``n_reaching`` (variants that move it), ``n_same_sign`` and
        ``n_still_significant`` (of those), ``estimate_min`` and ``estimate_max`` over the
        baseline and every variant, ``fragile_under`` (the reaching variants that lose its
        sign or significance) and ``verdict``: ``robust`` (every reaching variant keeps sign
        and significance), ``fragile``, ``not significant``, ``share`` or ``not reached``.
    """
    base = records[records["variant"] == "baseline"].set_index("finding")
    rest = records[records["variant"] != "baseline"]
    rows = []
    for finding, b in base.iterrows():
        variants = rest[rest["finding"] == finding].dropna(subset=["estimate"])
        reaching = variants[(variants["estimate"] - b["estimate"]).abs() > 1e-9]
        share = finding.startswith("share_")
        significant = bool(b["ci_lower"] > 0 or b["ci_upper"] < 0) and not share
        same = np.sign(reaching["estimate"]) == np.sign(b["estimate"])
        still = same & ((reaching["ci_lower"] > 0) | (reaching["ci_upper"] < 0))
        lost = reaching.loc[~(still if significant else same), "variant"]
        if share:
            verdict = "share"
        elif not significant:
            verdict = "not significant"
        elif reaching.empty:
            verdict = "not reached"
        else:
            verdict = "robust" if bool(still.all()) else "fragile"
        values = pd.concat([variants["estimate"], pd.Series([b["estimate"]])])
        rows.append(
            {
                "finding": finding,
                "estimate": float(b["estimate"]),
                "significant": significant,
                "n_reaching": len(reaching),
                "n_same_sign": np.nan if share else int(same.sum()),
                "n_still_significant": int(still.sum()) if significant else np.nan,
                "estimate_min": float(values.min()),
                "estimate_max": float(values.max()),
                "fragile_under": ", ".join(sorted(lost)) if significant else "",
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows)


def spec_curve(records: pd.DataFrame, findings: list[str]) -> plt.Figure:
    """Draw each finding's estimate and interval in every specification, sorted by estimate (a specification curve)."""
    with paper_style():
        fig, axes = plt.subplots(
            len(findings), 1, figsize=(DOUBLE, 0.95 * len(findings) + 0.6), squeeze=False, layout="constrained"
        )
        for ax, finding in zip(axes[:, 0], findings, strict=True):
            part = records[records["finding"] == finding].dropna(subset=["estimate"]).sort_values("estimate")
            x = np.arange(len(part))
            base = (part["variant"] == "baseline").to_numpy()
            err = np.vstack([part["estimate"] - part["ci_lower"], part["ci_upper"] - part["estimate"]])
            ax.errorbar(x, part["estimate"], yerr=np.clip(err, 0, None), fmt="o", markersize=2.5, capsize=1, lw=0.7)
            ax.plot(x[base], part.loc[base, "estimate"], "o", color="C3", markersize=5, label="the study as committed")
            if not finding.startswith("share_"):
                ax.axhline(0, color="0.5", linewidth=0.6, linestyle="--")
            ax.set_xticks(x, labels=part["variant"], rotation=30, ha="right", fontsize=5)
            ax.set_title(finding.replace("_", " "), fontsize=6.5, loc="left")
        axes[0, 0].legend(fontsize=5.5, loc="upper left", frameon=False)
        fig.suptitle(
            "Each finding in every specification of the multiverse, sorted by estimate (log scale for model\n"
            "coefficients, share for shares); bars: each specification's own interval; large marker: the study as "
            "committed",
            fontsize=6.5,
        )
        return fig
