"""The event-level models' tables, each named like the file it writes.

:mod:`analysis.study.regressions` fits the models into tidy frames (``_ci_lower`` and
``_ci_upper`` bounds, ``ratio`` columns for readers); this module arranges them into the
report's tables and the text summaries the docs quote. :mod:`analysis.study.model_figures`
draws from the same frames.
"""

from __future__ import annotations

import pandas as pd

from analysis.study.regressions import REFERENCES

_COLUMNS = [
    "model",
    "spec",
    "term",
    "estimate",
    "std_error",
    "p_value",
    "estimate_ci_lower",
    "estimate_ci_upper",
    "ratio",
    "ratio_ci_lower",
    "ratio_ci_upper",
]


def term_name(term: str, *, level_label=str) -> str:
    """Name a model term for readers.

    >>> term_name("C(year)[T.2016]"), term_name("log_deaths_sides"), term_name("fr_clash:same_day")
    ('year: 2016', 'log deaths sides', 'first report: clash (day 0)')
    """
    for suffix, when in ((":same_day", " (day 0)"), (":later", " (after day 0)")):
        if term.endswith(suffix):
            return term_name(term.removesuffix(suffix), level_label=level_label) + when
    if term.startswith("C("):
        var = term[2:].split(",")[0].split(")")[0]
        level = term[term.index("[T.") + 3 : -1] if "[T." in term else term
        return f"{var.replace('_', ' ')}: {level_label(level)}"
    if term.startswith("fr_"):
        return f"first report: {term.removeprefix('fr_').replace('_', ' ')}"
    return term.replace("_", " ")


def _tidy(table: pd.DataFrame | None) -> pd.DataFrame:
    """Return a model's coefficients in the tables' columns, or an empty table where the model does not apply."""
    if table is None or table.empty:
        return pd.DataFrame(columns=_COLUMNS)
    return table[_COLUMNS].reset_index(drop=True)


def model_sources(table: pd.DataFrame | None) -> pd.DataFrame:
    """Tidy the sources models (Poisson pseudo-ML on n - 1): coefficients, incidence-rate ratios, intervals."""
    return _tidy(table)


def model_first_report(table: pd.DataFrame | None) -> pd.DataFrame:
    """Tidy the first-report models (discrete-time cloglog): coefficients, hazard ratios, intervals."""
    return _tidy(table)


def model_credibility(table: pd.DataFrame | None) -> pd.DataFrame:
    """Tidy the credibility model (logit on gold types): coefficients, odds ratios, intervals."""
    return _tidy(table)


def model_fit(fits: pd.DataFrame) -> pd.DataFrame:
    """One row per model and specification: estimator, units, rows, clusters, gold units, errors and references.

    Returns
    -------
    DataFrame
        ``model``, ``spec``, ``estimator``, ``n_obs`` (events or articles), ``n_rows`` (rows
        fitted: event-days for the hazard), ``n_clusters``, ``n_gold`` (gold units correcting
        predicted types; 0 where none enters), ``std_errors`` and ``references``.
    """
    if fits.empty:
        return pd.DataFrame(columns=["model", "spec", "estimator", "n_obs", "n_rows", "n_clusters", "n_gold"])
    references = fits["model"].map(REFERENCES)
    errors = fits["model"].map(lambda m: "by text group" if m == "credibility" else "by shared text or report")
    return fits.assign(std_errors="cluster-robust, " + errors, references=references).reset_index(drop=True)


def measurement_error(corrected: pd.DataFrame, naive: pd.DataFrame) -> pd.DataFrame:
    """Set the first-report types' corrected coefficients beside the uncorrected ones.

    Returns
    -------
    DataFrame
        ``model``, ``term``, ``estimate_naive`` and ``estimate_dsl`` (log scale) with their
        bounds, and ``difference`` (naive minus corrected): how far the classifier's errors
        would have moved each coefficient.
    """
    columns = ["model", "term", "estimate_naive", "estimate_dsl", "difference"]
    if naive.empty:
        return pd.DataFrame(columns=columns)
    keep = naive["term"].str.startswith("fr_")
    a = naive[keep].set_index(["model", "term"])
    b = corrected[(corrected["spec"] == "first_report")].set_index(["model", "term"]).reindex(a.index)
    out = pd.DataFrame(index=a.index)
    for name, src in (("naive", a), ("dsl", b)):
        for suffix in ("", "_ci_lower", "_ci_upper"):
            out[f"estimate_{name}{suffix}"] = src[f"estimate{suffix}"].to_numpy()
    out["difference"] = out["estimate_naive"] - out["estimate_dsl"]
    return out.reset_index()


def models_summary(tables: dict[str, pd.DataFrame], *, level_label=str) -> pd.DataFrame:
    """Show the models' ratios side by side, as text for the docs (year and governorate terms left out).

    Returns
    -------
    DataFrame
        ``term`` (named for readers), then one column per model and specification
        (``sources_coded``, ``sources_first_report``, ``first_report_coded``, ...): each
        ``"ratio [lower, upper]"``, empty where the term is not in that fit.
    """
    texts: dict[str, dict[str, str]] = {}
    for table in tables.values():
        for (model, spec), part in table.groupby(["model", "spec"], sort=False):
            skip = part["term"].str.match(r"Intercept|C\(year\)|C\(governorate\)|C\(band\)")
            texts[f"{model}_{spec}"] = {
                r["term"]: f"{r['ratio']:.2f} [{r['ratio_ci_lower']:.2f}, {r['ratio_ci_upper']:.2f}]"
                for _, r in part[~skip].iterrows()
            }
    terms = list(dict.fromkeys(t for v in texts.values() for t in v))
    out = pd.DataFrame({"term": [term_name(t, level_label=level_label) for t in terms]})
    for name, values in texts.items():
        out[name] = [values.get(t, "") for t in terms]
    return out


def model_tables(
    tables: dict[str, pd.DataFrame], fits: pd.DataFrame, naive: pd.DataFrame, *, level_label
) -> dict[str, pd.DataFrame]:
    """Return the models' tables, keyed by file name.

    Returns
    -------
    dict of str to DataFrame
        ``model_sources``, ``model_first_report``, ``model_credibility`` (tidy, empty where a
        model does not apply), ``model_fit``, ``measurement_error`` and ``models_summary``.
    """
    out = {
        "model_sources": model_sources(tables.get("sources")),
        "model_first_report": model_first_report(tables.get("first_report")),
        "model_credibility": model_credibility(tables.get("credibility")),
        "model_fit": model_fit(fits),
    }
    out["measurement_error"] = measurement_error(
        pd.concat([out["model_sources"], out["model_first_report"]], ignore_index=True), naive
    )
    named = {k: out[k] for k in ("model_sources", "model_first_report", "model_credibility")}
    out["models_summary"] = models_summary(named, level_label=level_label)
    return out
