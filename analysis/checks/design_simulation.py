"""Coverage and size of the study's estimators in the regimes the study meets, by simulation.

Each replication builds a population like the study's: text groups weighted by documents
(heavy-tailed, as UCDP's duplicated event texts are), a known part counted from gold, and an
unlabelled rest from which a simple random sample is drawn; a classifier that misses part of
the positives and fires on some negatives. The shares go through
:func:`analysis.study.design.shares` end to end, and the interval's coverage of the true share
is counted. The test between groups (:func:`analysis.study.estimators.permutation_test`) is
run on groups of the study's sizes with no difference between them, and its rejections counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from tqdm import tqdm

from analysis.study import design, estimators

#: (sampled units, prevalence) pairs: 10 to 400 sampled units (UCDP Syria's sample), prevalence 1% to 60%.
REGIMES = tuple((n, p) for n in (10, 20, 30, 60, 250, 400) for p in (0.01, 0.05, 0.2, 0.6))
#: Units of the rest and of the known part per simulated collection.
N_REST, N_KNOWN = 2000, 300
#: The classifier: recall and false-positive rate of its labels (probabilities are noisy around them).
RECALL, FALSE_POSITIVE = 0.6, 0.05


def simulated_collection(
    n_sample: int, prevalence: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One collection: documents (with predictions) and its gold (known part and a random sample of the rest).

    Returns
    -------
    tuple of DataFrame
        The population (``doc_id``, ``collection``, ``text_group``, ``t``, ``cf_t``, ``cfp_t``,
        ``truth``) and the gold (``text_group``, ``role``, ``gold_t``), as
        :func:`analysis.study.design.shares` reads them.
    """
    units = N_REST + N_KNOWN
    weight = np.minimum(
        rng.zipf(3.0, units), 20
    )  # documents per text group: mostly 1, a tail heavier than UCDP Syria's
    # the known part was drawn by cues: a different prevalence from the rest
    p = np.where(np.arange(units) < N_KNOWN, min(0.9, 2 * prevalence), prevalence)
    truth = rng.random(units) < p
    score = np.where(truth, rng.beta(3, 2, units), rng.beta(1, 12, units))  # mean 0.6 against 0.08
    label = np.where(truth, rng.random(units) < RECALL, rng.random(units) < FALSE_POSITIVE)
    groups = np.array([f"g{i:05d}" for i in range(units)])
    rest = np.arange(N_KNOWN, units)
    drawn = rng.choice(rest, size=n_sample, replace=False)
    role = np.full(units, "rest", dtype=object)
    role[:N_KNOWN], role[drawn] = "known", "sample"
    repeat = np.repeat(np.arange(units), weight)
    population = pd.DataFrame(
        {
            "doc_id": np.arange(len(repeat)),
            "collection": "c",
            "text_group": groups[repeat],
            "t": label[repeat],
            "cf_t": label[repeat].astype(float),
            "cfp_t": score[repeat],
            "truth": truth[repeat],
        }
    )
    gold = pd.DataFrame({"text_group": groups, "role": role, "gold_t": truth.astype(float)})
    return population, gold[gold["role"] != "rest"].reset_index(drop=True)


def coverage_table(regimes=REGIMES, *, reps: int, level: float, seed: int) -> pd.DataFrame:
    """Coverage of the design's interval and of the gold-only one, per regime.

    Returns
    -------
    DataFrame
        ``n_sample``, ``prevalence``, ``n_reps``, ``method`` (the most frequent),
        ``coverage_est``, ``coverage_gold``, ``mean_half_width_est``, ``mean_half_width_gold``
        and ``bias_est`` (mean error of the estimate).
    """
    rng = np.random.default_rng(seed)
    rows = []
    for n_sample, prevalence in tqdm(regimes, desc="coverage regimes"):
        hits_est, hits_gold, width_est, width_gold, error, methods = [], [], [], [], [], []
        for _ in range(reps):
            population, gold = simulated_collection(n_sample, prevalence, rng)
            row = design.shares(population, gold, by=["collection"], types=["t"], level=level).iloc[0]
            true = population["truth"].mean()
            hits_est.append(row["share_est_ci_lower"] <= true <= row["share_est_ci_upper"])
            hits_gold.append(row["share_gold_ci_lower"] <= true <= row["share_gold_ci_upper"])
            width_est.append((row["share_est_ci_upper"] - row["share_est_ci_lower"]) / 2)
            width_gold.append((row["share_gold_ci_upper"] - row["share_gold_ci_lower"]) / 2)
            error.append(row["share_est"] - true)
            methods.append(row["method"])
        rows.append(
            {
                "n_sample": n_sample,
                "prevalence": prevalence,
                "n_reps": reps,
                "method": pd.Series(methods).mode().iloc[0],
                "coverage_est": float(np.mean(hits_est)),
                "coverage_gold": float(np.mean(hits_gold)),
                "mean_half_width_est": float(np.mean(width_est)),
                "mean_half_width_gold": float(np.mean(width_gold)),
                "bias_est": float(np.mean(error)),
            }
        )
    return pd.DataFrame(rows)


#: Units per group in the size simulation: the study's seven FA-KES outlet groups (21 to 227 gold
#: text groups), its two credibility groups, and small groups (7 to 54) a researcher's corpus may have.
GROUP_SIZES = ((21, 39, 44, 98, 100, 165, 227), (366, 323), (7, 12, 20, 33, 54))


def size_table(
    group_sizes=GROUP_SIZES, prevalences=(0.02, 0.1, 0.4), *, reps: int, n_perm: int, alpha: float, seed: int
) -> pd.DataFrame:
    """Rejection rate of the permutation test between groups when no group differs.

    Returns
    -------
    DataFrame
        ``group_sizes`` (as text), ``prevalence``, ``n_reps``, ``alpha`` and ``rejection_rate``.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for sizes in group_sizes:
        group = np.repeat(np.arange(len(sizes)), sizes)
        for prevalence in prevalences:
            rejected = 0
            for i in range(reps):
                w = np.minimum(rng.zipf(3.0, len(group)), 20).astype(float)
                y = (rng.random(len(group)) < prevalence).astype(float)
                _, p = estimators.permutation_test(y, w, group, n_perm=n_perm, seed=seed + i)
                rejected += p <= alpha
            rows.append(
                {
                    "group_sizes": "-".join(map(str, sizes)),
                    "prevalence": prevalence,
                    "n_reps": reps,
                    "alpha": alpha,
                    "rejection_rate": rejected / reps,
                }
            )
    return pd.DataFrame(rows)
