"""Every number the prose quotes, collected from the pipeline outputs (keys become ``numbers.tex`` macros).

:func:`headline_numbers` gathers the corpus counts, the instrument's scores
(:func:`instrument_numbers`) and the study's findings (:func:`study_numbers`): shares,
model coefficients, tests and word checks. The docs quote them through
``numbers.json`` (``python -m analysis docs``), a paper through ``numbers.tex``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.params import AcquireParams


def headline_numbers(
    documents: pd.DataFrame,
    reports: pd.DataFrame,
    ledger: pd.DataFrame,
    lag_by_outlet: pd.DataFrame,
    *,
    metrics: dict,
    built: dict[str, pd.DataFrame],
    collections: AcquireParams,
) -> dict[str, object]:
    """Collect every number quoted in prose, keyed in snake_case (macro names come from the keys).

    Returns
    -------
    dict
        Counts of documents (also per collection: ``n_documents_<name>``), reports, outlets,
        sealed and gold documents, ledger fates, the instrument's numbers
        (:func:`instrument_numbers`), the study's (:func:`study_numbers`), and the median
        reporting lag overall and of the outlet with most reports.
    """
    lagged = reports["lag_days"].dropna().astype(float)
    named = lag_by_outlet[lag_by_outlet.iloc[:, 0] != "other"]
    top = named.iloc[0] if len(named) else pd.Series({"outlet": "none", "median_lag_days": float("nan")})
    fates = ledger["fate"].value_counts()
    return {
        "n_documents": len(documents),
        "n_reports": len(reports),
        "n_outlets": int(reports["outlet"].nunique()),
        "n_input_rows": len(ledger),
        "n_rows_merged": int(fates.get("merged", 0)),
        "n_rows_dropped": int(fates.get("dropped", 0)),
        "n_sealed": int(documents["sealed"].sum()),
        **{f"n_documents_{c.name}": int((documents["collection"] == c.name).sum()) for c in collections.collections},
        "n_gold": int(metrics["gold"]["n_gold"]),
        **{f"n_gold_{split}": int(n) for split, n in metrics["gold"]["n_by_split"].items()},
        **{f"n_gold_{stratum}": int(n) for stratum, n in metrics["gold"]["n_by_stratum"].items()},
        **(instrument_numbers(metrics) if "test" in metrics else {}),  # none for a pinned classifier
        **study_numbers(built),
        "median_lag_days": f"{lagged.median():.1f}",
        "n_lagged_reports": int(len(lagged)),
        "top_outlet": str(top.iloc[0]),
        "top_outlet_median_lag_days": f"{float(top['median_lag_days']):.1f}",
    }


def instrument_numbers(metrics: dict) -> dict[str, object]:
    """Collect the measuring instrument's numbers: agreement, dev and test scores, out-of-domain and behaviour.

    Parameters
    ----------
    metrics : dict
        ``gold`` (``metrics/gold.json``), ``dev`` (``metrics/classifier.json``), ``test``
        (``test/test.json``) and ``behaviour`` (``metrics/behaviour.json``).

    Returns
    -------
    dict
        ``kappa_pooled``, ``kappa_test``; on test: ``macro_f_one`` (types with 10 or more
        positives), ``micro_f_one``, the baselines' macro-F1 (``keyword_macro_f_one``,
        ``weak_macro_f_one``, ``old_model_macro_f_one``), the margins over them with intervals
        (``gain_over_keywords`` ...), ``test_f_one_<type>`` per measurable type,
        ``ood_false_alarm_rate``; on dev: ``dev_macro_f_one``, ``dev_macro_ap``; and
        ``behaviour_pass_rate`` with ``behaviour_<test>_pass_rate``.
    """
    test, dev = metrics["test"], metrics["dev"]
    measurable = metrics["test"]["targets"]["every_type_10plus"]["types"]
    out: dict[str, object] = {
        "kappa_pooled": float(metrics["gold"]["cohen_kappa_pooled"]),
        "kappa_test": float(metrics["gold"]["cohen_kappa_test"]),
        "macro_f_one": float(test["classifier"]["macro_measurable_f1"]),
        "micro_f_one": float(test["classifier"]["micro_f1"]),
        "keyword_macro_f_one": float(test["keyword_rules"]["macro_measurable_f1"]),
        "weak_macro_f_one": float(test["weak_labels"]["macro_measurable_f1"]),
        "old_model_macro_f_one": float(test["old_model"]["macro_measurable_f1"]),
        "n_measurable_types": len(measurable),
        "ood_false_alarm_rate": float(test["ood_false_alarm_rate"]),
        "dev_macro_f_one": float(dev["classifier"]["macro_measurable_f1"]),
        "dev_macro_ap": float(dev["classifier"]["average_precision"]["macro"]),
        "behaviour_pass_rate": float(metrics["behaviour"]["pass_rate"]),
    }
    for name, key in (("keyword_rules", "keywords"), ("weak_labels", "weak_labels"), ("old_model", "old_model")):
        gain = test["classifier_minus"][name]
        for suffix in ("", "_ci_lower", "_ci_upper"):
            out[f"gain_over_{key}{suffix}"] = float(gain[f"difference{suffix}"])
    out.update({f"test_f_one_{t}": float(test["classifier"]["per_type_f1"][t]) for t in measurable})
    out.update({f"behaviour_{k}_pass_rate": float(v) for k, v in metrics["behaviour"]["by_test"].items() if k != "all"})
    return out


def study_numbers(built: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Collect the study's findings from its tables.

    Returns
    -------
    dict
        ``share_<collection>_<type>`` (naive), ``share_est_<collection>_<type>`` (the design's
        estimate) with its ``_ci_lower``/``_ci_upper``, ``share_gold_...`` likewise (gold alone)
        and ``method_<collection>_<type>``; ``plan_half_width_now_<collection>_<type>`` and
        ``plan_half_width_after_extra_...`` (the annotation plan); ``frame_excluded_share_<collection>``,
        ``share_frame_...`` and ``share_excluded_...`` (what the frame leaves out);
        ``consistency_<column>_<collection>_<type>`` (the uniform stratum's estimate against the
        design's); ``relabel_<stratum>_<type>_<column>`` (the re-annotation check);
        ``n_gold_<collection>`` (gold text groups),
        ``n_sample_<collection>`` and ``known_share_<collection>``; per model term
        ``sources_irr_<term>``, ``first_report_hr_<term>``, ``credibility_or_<term>`` with
        intervals, per specification (``sources_irr_<spec>_<term>``); ``<model>_<spec>_n_obs``,
        ``_n_rows``, ``_n_clusters`` and ``_n_gold``; per convergent-validity check
        ``validity_<collection>_<type>_<criterion>_<column>``; the tests' counts of types
        that differ (``n_types_<test>_differ`` on predicted labels, ``..._differ_est`` on the design's shares);
        the slowest outlet's lag; per word check ``word_check_<label>_<count>``; and the largest
        change of a type coefficient under measurement error per model.
    """
    out: dict[str, object] = {}
    shares = built["type_shares"]
    for _, r in shares.iterrows():
        key = f"{r['collection']}_{r['event_type']}"
        out[f"share_{key}"] = float(r["share"])
        out[f"method_{key}"] = str(r["method"])
        for col in ("share_est", "share_gold"):
            for suffix in ("", "_ci_lower", "_ci_upper"):
                if not np.isnan(r[col + suffix]):
                    out[f"{col}{suffix}_{key}"] = float(r[col + suffix])
    for _, r in built["outlet_profiles"].dropna(subset=["share_est"]).iterrows():
        key = f"outlet_{term_slug(r['outlet_group'])}_{r['event_type']}"
        for suffix in ("", "_ci_lower", "_ci_upper"):
            out[f"{key}_share_est{suffix}"] = float(r[f"share_est{suffix}"])
    for _, r in built["annotation_plan"].iterrows():
        key = f"{r['collection']}_{r['event_type']}"
        out[f"plan_half_width_now_{key}"] = float(r["half_width_now"])
        out[f"plan_half_width_after_extra_{key}"] = float(r["half_width_after_extra"])
    for _, r in built["frame_coverage"].iterrows():
        out[f"frame_excluded_share_{r['collection']}"] = float(r["excluded_share"])
        for col in ("share_frame", "share_excluded"):
            out[f"{col}_{r['collection']}_{r['event_type']}"] = float(r[col])
    for _, r in built["sample_consistency"].iterrows():
        key = f"{r['collection']}_{r['event_type']}"
        for col in ("share_uniform", "share_uniform_ci_lower", "share_uniform_ci_upper", "z", "p_value"):
            out[f"consistency_{col}_{key}"] = float(r[col])
    for _, r in built.get("relabel_check", pd.DataFrame()).iterrows():
        key = f"relabel_{r['stratum']}_{r['event_type']}"
        for col in r.index.drop(["stratum", "event_type"]):
            out[f"{key}_{col}"] = float(r[col]) if col.startswith("share") else int(r[col])
    for collection, part in shares.groupby("collection"):
        first = part.iloc[0]
        out[f"n_gold_{collection}"] = int(first["n_gold"])
        out[f"n_sample_{collection}"] = int(first["n_sample"])
        out[f"known_share_{collection}"] = float(first["known_share"])
    for name, prefix, col in (
        ("model_sources", "sources_irr", "ratio"),
        ("model_first_report", "first_report_hr", "ratio"),
        ("model_credibility", "credibility_or", "ratio"),
    ):
        table = built[name]
        for _, r in table[~table["term"].str.match(r"Intercept|C\(year\)|C\(governorate\)")].iterrows():
            key = f"{prefix}_{r['spec']}_{term_slug(r['term'])}"
            for suffix in ("", "_ci_lower", "_ci_upper"):
                out[f"{key}{suffix}"] = float(r[f"{col}{suffix}"])
            out[f"{key}_p_value"] = float(r["p_value"])
    for _, r in built["model_fit"].iterrows():
        for col in ("n_obs", "n_rows", "n_clusters", "n_gold"):
            out[f"{r['model']}_{r['spec']}_{col}"] = int(r[col])
    for _, r in built["convergent_validity"].iterrows():
        key = f"validity_{r['collection']}_{r['event_type']}_{term_slug(r['criterion'])}"
        for col in ("share_coded", "share_predicted", "recall", "precision", "auc", "gold_mention", "sample_recall"):
            out[f"{key}_{col}"] = float(r[col])
        out[f"{key}_n_gold_coded"] = int(r["n_gold_coded"])
    for name in ("outlet_tests", "credibility_tests"):
        test = built[name]
        stem = name.removesuffix("_tests")
        out[f"n_types_{stem}_differ"] = int((test["p_value_holm"] < 0.05).sum())
        out[f"n_types_{stem}_differ_est"] = int((test["p_value_est_holm"] < 0.05).sum())
        out[f"n_types_{stem}_tested_est"] = int(test["p_value_est_holm"].notna().sum())
    lags = built["lag_by_outlet"]
    if len(lags):
        slow = lags.sort_values(["median_lag_days", "n_reports"], ascending=[False, False]).iloc[0]
        out["slowest_outlet"] = str(slow["outlet"])
        for col in ("median_lag_days", "q1_lag_days", "q3_lag_days"):
            out[f"slowest_outlet_{col}"] = f"{float(slow[col]):.0f}"
        out["n_negative_lag"] = int(lags["n_negative_lag"].sum())
    for _, r in built["word_checks"].iterrows():
        key = f"word_check_{term_slug(r['label'])}"
        for col in ("n_docs", "n_with_words", "n_predicted", "n_gold", "n_gold_pos"):
            out[f"{key}_{col}"] = int(r[col])
    for model, part in built["measurement_error"].dropna(subset=["difference"]).groupby("model"):
        worst = part.loc[part["difference"].abs().idxmax()]
        out[f"measurement_{model}_largest_change"] = float(abs(worst["difference"]))
        out[f"measurement_{model}_largest_change_term"] = str(worst["term"]).removeprefix("fr_")
    return out


def term_slug(term: str) -> str:
    """Turn a model term or label into a snake_case key.

    >>> term_slug("C(country)[T.Syria]"), term_slug("log_deaths"), term_slug("Mosul offensive")
    ('country_syria', 'log_deaths', 'mosul_offensive')
    >>> term_slug("C(outlet_group, Treatment(reference='international_wire'))[T.gulf_owned]")
    'outlet_group_gulf_owned'
    >>> term_slug("C(violence, Treatment('state_based'))[T.non_state]:later")
    'violence_non_state_later'
    """
    for suffix in (":same_day", ":later"):
        if term.endswith(suffix):
            return f"{term_slug(term.removesuffix(suffix))}_{suffix[1:]}"
    if term.startswith("C("):
        var = re.split(r"[,)]", term[2:])[0]
        level = term[term.index("[T.") + 3 : -1] if "[T." in term else ""
        term = f"{var}_{level}"
    return re.sub(r"[^a-z0-9]+", "_", term.lower()).strip("_")


#: Shares whose estimates the robustness multiverse follows, per collection (``findings``).
FINDING_TYPES = ("clash", "civilian_harm", "airstrike")


def findings(built: dict[str, pd.DataFrame]) -> dict[str, dict[str, float]]:
    """Collect the study's findings that the robustness multiverse compares across specifications.

    Returns
    -------
    dict
        ``{name: {"estimate", "ci_lower", "ci_upper", "p_value"}}`` (None where a value does
        not apply): each model coefficient other than the intercept and the fixed effects, on the
        log scale (``<model>_<spec>_<term>``), and the design's share of each of
        :data:`FINDING_TYPES` per collection (``share_<collection>_<type>``).
    """
    out: dict[str, dict[str, float]] = {}
    for name in ("model_sources", "model_first_report", "model_credibility"):
        table = built[name]
        keep = ~table["term"].str.match(r"Intercept|C\(year\)|C\(governorate\)|C\(band\)")
        for _, r in table[keep].iterrows():
            key = f"{r['model']}_{r['spec']}_{term_slug(r['term'])}"
            out[key] = _finding(r["estimate"], r["estimate_ci_lower"], r["estimate_ci_upper"], r["p_value"])
    shares = built["type_shares"]
    for _, r in shares[shares["event_type"].isin(FINDING_TYPES)].iterrows():
        key = f"share_{r['collection']}_{r['event_type']}"
        out[key] = _finding(r["share_est"], r["share_est_ci_lower"], r["share_est_ci_upper"], np.nan)
    return out


def _finding(estimate: float, lower: float, upper: float, p: float) -> dict[str, float | None]:
    """One finding's numbers, rounded; None where a value does not exist (JSON has no NaN)."""
    values = {"estimate": estimate, "ci_lower": lower, "ci_upper": upper, "p_value": p}
    return {k: None if np.isnan(float(v)) else round(float(v), 6) for k, v in values.items()}
