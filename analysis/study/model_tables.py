"""The event-level models' tables, each named like the file it writes, from fitted statsmodels results.

:mod:`analysis.study.regressions` fits the models; this module turns their results into tidy
frames (``_ci_lower`` and ``_ci_upper`` bounds, ratios for readers) and the text summaries the
docs quote. :mod:`analysis.study.model_figures` draws from the same frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def tidy(result, *, model: str, exponentiate: bool, level: float = 0.95) -> pd.DataFrame:
    """Turn a statsmodels result into a tidy coefficient table.

    Returns
    -------
    DataFrame
        ``model``, ``term``, ``estimate``, ``std_error``, ``statistic``, ``p_value``,
        ``estimate_ci_lower``, ``estimate_ci_upper`` and, with ``exponentiate``, ``ratio`` and
        its ``ratio_ci_lower`` / ``ratio_ci_upper`` (incidence-rate, hazard or odds ratios).
    """
    ci = np.asarray(result.conf_int(alpha=1 - level))
    names = getattr(result.params, "index", None)  # a proportional-hazards result holds bare arrays
    out = pd.DataFrame(
        {
            "model": model,
            "term": list(names) if names is not None else list(result.model.exog_names),
            "estimate": np.asarray(result.params),
            "std_error": np.asarray(result.bse),
            "statistic": np.asarray(result.tvalues),
            "p_value": np.asarray(result.pvalues),
            "estimate_ci_lower": ci[:, 0],
            "estimate_ci_upper": ci[:, 1],
        }
    )
    if exponentiate:
        for col, src in (
            ("ratio", "estimate"),
            ("ratio_ci_lower", "estimate_ci_lower"),
            ("ratio_ci_upper", "estimate_ci_upper"),
        ):
            out[col] = np.exp(out[src]).where(out["term"] != "alpha")  # a dispersion is no log-ratio
    return out.reset_index(drop=True)


def fit_summary(results: dict) -> pd.DataFrame:
    """One row per fitted model: observations, fit and, for the negative binomial, its dispersion.

    Returns
    -------
    DataFrame
        ``model``, ``n_obs``, ``log_likelihood`` (the partial likelihood for the hazard model), ``pseudo_r2``
        and ``dispersion_alpha`` (NB2's alpha; NaN for the others).
    """
    rows = []
    for name, res in results.items():
        rows.append(
            {
                "model": name,
                "n_obs": int(getattr(res, "nobs", None) or res.model.exog.shape[0]),
                "log_likelihood": float(getattr(res, "llf", np.nan)),
                "pseudo_r2": float(getattr(res, "prsquared", np.nan)),
                "dispersion_alpha": (
                    float(res.params["alpha"]) if "alpha" in getattr(res.params, "index", ()) else np.nan
                ),
            }
        )
    return pd.DataFrame(rows)


def term_name(term: str, *, level_label=str) -> str:
    """Name a model term for readers.

    >>> term_name("C(year)[T.2016]"), term_name("log_deaths")
    ('year: 2016', 'log deaths')
    """
    if term.startswith("C("):
        var = term[2:].split(",")[0].split(")")[0]
        level = term[term.index("[T.") + 3 : -1] if "[T." in term else term
        return f"{var.replace('_', ' ')}: {level_label(level)}"
    return term.replace("_", " ")


def _tidy(result, *, model: str, level: float) -> pd.DataFrame:
    """Return a model's tidy table, or an empty one where the model does not apply to this corpus (None)."""
    if result is None:
        return pd.DataFrame(columns=["model", "term", "estimate", "std_error", "p_value"])
    return tidy(result, model=model, exponentiate=True, level=level)


def model_sources(result, *, level: float) -> pd.DataFrame:
    """Tidy the sources model (negative binomial): coefficients, incidence-rate ratios, intervals."""
    return _tidy(result, model="sources", level=level)


def model_first_report(result, *, level: float) -> pd.DataFrame:
    """Tidy the first-report model (proportional hazards): coefficients, hazard ratios, intervals."""
    return _tidy(result, model="first_report", level=level)


def model_credibility(result, *, level: float) -> pd.DataFrame:
    """Tidy the credibility model (logit): coefficients, odds ratios, intervals."""
    return _tidy(result, model="credibility", level=level)


def model_fit(results: dict) -> pd.DataFrame:
    """One row per event-level model (:func:`fit_summary`), with NB2's dispersion."""
    return fit_summary(results)


def measurement_error(checks: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Type coefficients fitted on the random gold sample with gold types and with predicted types.

    Returns
    -------
    DataFrame
        ``model`` and the columns of :func:`analysis.study.regressions.measurement_error_check`.
    """
    frames = [frame.assign(model=name) for name, frame in checks.items()]
    if not frames:  # no random gold document in any modelled collection
        return pd.DataFrame(columns=["model", "term", "n_obs", "estimate_gold", "estimate_predicted", "difference"])
    out = pd.concat(frames, ignore_index=True)
    return out[["model", *[c for c in out.columns if c != "model"]]]


def models_summary(
    sources: pd.DataFrame, first_report: pd.DataFrame, credibility: pd.DataFrame, *, level_label=str
) -> pd.DataFrame:
    """Show the event-level models' ratios side by side, as text for the docs.

    Returns
    -------
    DataFrame
        ``term`` (named for readers) and ``sources_irr``, ``first_report_hr``, ``credibility_or``: each
        ``"ratio [lower, upper]"`` (empty where the term is not in that model); year terms left out.
    """
    columns = {"sources_irr": sources, "first_report_hr": first_report, "credibility_or": credibility}
    texts = {}
    for name, table in columns.items():
        if table.empty:
            continue
        keep = table[~table["term"].isin(["Intercept", "alpha"]) & ~table["term"].str.startswith("C(year)")]
        texts[name] = {
            r["term"]: f"{r['ratio']:.2f} [{r['ratio_ci_lower']:.2f}, {r['ratio_ci_upper']:.2f}]"
            for _, r in keep.iterrows()
        }
    terms = list(dict.fromkeys(t for v in texts.values() for t in v))
    out = pd.DataFrame({"term": [term_name(t, level_label=level_label) for t in terms]})
    for name in columns:
        out[name] = [texts.get(name, {}).get(t, "") for t in terms]
    return out


def model_tables(
    fitted: dict, checks: dict[str, pd.DataFrame], *, level: float, level_label
) -> dict[str, pd.DataFrame]:
    """Return the event-level models' tables, keyed by file name, from :func:`fit_event_models`' results.

    Returns
    -------
    dict of str to DataFrame
        ``model_sources``, ``model_first_report``, ``model_credibility`` (tidy, empty where a
        model does not apply), ``model_fit``, ``measurement_error`` and ``models_summary``.
    """
    out = {
        "model_sources": model_sources(fitted.get("sources"), level=level),
        "model_first_report": model_first_report(fitted.get("first_report"), level=level),
        "model_credibility": model_credibility(fitted.get("credibility"), level=level),
        "model_fit": model_fit({k: v for k, v in fitted.items() if v is not None}),
        "measurement_error": measurement_error(checks),
    }
    out["models_summary"] = models_summary(
        out["model_sources"], out["model_first_report"], out["model_credibility"], level_label=level_label
    )
    return out
