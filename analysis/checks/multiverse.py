"""The multiverse's findings across specifications: which keep their sign and significance (a check).

Reads the committed record of :mod:`analysis.publish.multiverse` (one row per variant and
finding). A finding survives a variant when its estimate keeps the baseline's sign and, where
the baseline's interval excludes zero (the null of a share is not tested), its interval still
excludes zero.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.study.style import DOUBLE, paper_style


def survival(records: pd.DataFrame) -> pd.DataFrame:
    """Tabulate, per finding, how many variants keep its sign and its significance.

    Returns
    -------
    DataFrame
        ``finding``, ``estimate`` (baseline), ``significant`` (baseline interval excludes 0),
        ``n_variants``, ``n_same_sign``, ``n_still_significant`` (of the variants, where the
        baseline is significant), ``estimate_min`` and ``estimate_max`` over every variant, and
        ``verdict`` (``robust``: every variant keeps sign and significance; ``fragile``: not;
        ``not significant``: the baseline's interval holds 0).
    """
    base = records[records["variant"] == "baseline"].set_index("finding")
    rest = records[records["variant"] != "baseline"]
    rows = []
    for finding, b in base.iterrows():
        variants = rest[rest["finding"] == finding].dropna(subset=["estimate"])
        significant = bool(b["ci_lower"] > 0 or b["ci_upper"] < 0) and not finding.startswith("share_")
        sign = np.sign(b["estimate"])
        same = np.sign(variants["estimate"]) == sign
        still = same & ((variants["ci_lower"] > 0) | (variants["ci_upper"] < 0))
        if not significant:
            verdict = "not significant" if not finding.startswith("share_") else ("robust" if same.all() else "fragile")
        else:
            verdict = "robust" if bool(still.all()) and len(variants) else "fragile"
        rows.append(
            {
                "finding": finding,
                "estimate": float(b["estimate"]),
                "significant": significant,
                "n_variants": len(variants),
                "n_same_sign": int(same.sum()),
                "n_still_significant": int(still.sum()) if significant else np.nan,
                "estimate_min": float(pd.concat([variants["estimate"], pd.Series([b["estimate"]])]).min()),
                "estimate_max": float(pd.concat([variants["estimate"], pd.Series([b["estimate"]])]).max()),
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
