"""Event-level models of reporting (statsmodels): who reports, how many sources, how fast, and what is believed.

Studies of conflict reporting model reporting at the level of the event (Weidmann, AJPS 2016;
Baum and Zhukov, JPR 2015; Dietrich and Eck, International Interactions 2020; Croicu and
Kreutz 2017): the number of sources, and the time to the first report, against severity,
place, time and type of event. Here:

- :func:`sources_model`: UCDP events, the number of source reports beyond the first
  (negative binomial, NB2, with its dispersion) against log fatalities, predicted event types, year, country
  and whether the place is a provincial capital;
- :func:`first_report_model`: the days from the event to its first dated report, the same
  covariates, as a proportional-hazards (survival) model;
- :func:`credibility_model`: FA-KES articles, credible or not (logit), against outlet
  group and predicted event types.

The event types are the classifier's predictions, a covariate measured with error; the
check :func:`measurement_error_check` refits the sources model on the random gold events
with their gold types and with their (cross-fitted) predicted types, so the difference
between the two shows how far the measurement error moves each coefficient.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from analysis.params import AcquireParams, ReportParams
from analysis.study.model_tables import tidy

log = logging.getLogger(__name__)

_FEATURE = re.compile(r"\s+(?:town|city|village|camp|district|neighbou?rhood|area|governorate|province)$")
_ARTICLE = re.compile(r"^(?:al|ar|as|ad|an|at|az|el|ash|adh)[\s-]+")


def place_key(name: object) -> str:
    """Reduce a place name to a key for matching: ASCII, lower case, no feature word or Arabic article.

    >>> place_key("Ar Raqqah town"), place_key("Baghdād city"), place_key("Aleppo Governorate")
    ('raqqah', 'baghdad', 'aleppo governorate')
    """
    if not isinstance(name, str):
        return ""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    ascii_name = re.sub(r"\s+", " ", ascii_name)
    if ascii_name.endswith(("governorate", "province")):
        return ascii_name  # a governorate is no town: keep it apart from its capital
    return _ARTICLE.sub("", _FEATURE.sub("", ascii_name))


def event_table(
    events: pd.DataFrame, reports: pd.DataFrame, *, types: list[str], capitals: dict[str, list[str]]
) -> pd.DataFrame:
    """One row per event with the model variables.

    Parameters
    ----------
    events : DataFrame
        ``event_reports`` documents with their predicted types (``doc_id``, ``collection``,
        ``country``, ``location``, ``event_date``, ``deaths_best``, ``n_reports`` and one
        boolean column per type in ``types``).
    reports : DataFrame
        Their source reports (``doc_id``, ``lag_days``).
    types : list of str
        The event types entered as covariates.
    capitals : dict
        Country -> its provincial capitals (``report.provincial_capitals``).

    Returns
    -------
    DataFrame
        ``doc_id``, ``n_sources``, ``log_deaths`` (log1p of UCDP's best estimate), ``year``,
        ``country``, ``capital`` (0/1), ``first_lag_days`` (the earliest report dated on or
        after the event, minus the event date; NaN without one), and one 0/1 column per type.
    """
    keys = {country: {place_key(c) for c in names} for country, names in capitals.items()}
    # a report dated before its event is a dating error (UCDP dates events by their first day): left out
    dated = reports.dropna(subset=["lag_days"])
    first = dated[dated["lag_days"].astype(float) >= 0].groupby("doc_id")["lag_days"].min()
    out = pd.DataFrame(
        {
            "doc_id": events["doc_id"].to_numpy(),
            "n_sources": events["n_reports"].astype(int).to_numpy(),
            "log_deaths": np.log1p(events["deaths_best"].astype(float).fillna(0)).to_numpy(),
            "year": events["event_date"].dt.year.astype(int).to_numpy(),
            "country": events["country"].astype(str).to_numpy(),
            "capital": [
                int(place_key(loc) in keys.get(country, set()))
                for loc, country in zip(events["location"], events["country"], strict=True)
            ],
            "first_lag_days": events["doc_id"].map(first).astype(float).to_numpy(),
        }
    )
    for t in types:
        out[t] = events[t].astype(int).to_numpy()
    return out


def _terms(types: list[str], *, country: bool) -> str:
    terms = ["log_deaths", *types, "C(year)", "capital"]
    return " + ".join([*terms, "C(country)"] if country else terms)


def sources_model(events: pd.DataFrame, *, types: list[str]):
    """Fit the number of source reports beyond the first per event: negative binomial (NB2), dispersion estimated.

    UCDP codes an event only from a source, so every event has at least one: the count
    starts at 1 and is under-dispersed around it, and an NB2 on it collapses to Poisson. The
    model counts the additional reports (``n_sources - 1``), whose zeros are real.

    Returns
    -------
    statsmodels result
        ``params`` includes ``alpha``, the NB2 dispersion (0 would be Poisson).
    """
    country = events["country"].nunique() > 1
    data = events.assign(extra_sources=events["n_sources"] - 1)
    formula = f"extra_sources ~ {_terms(types, country=country)}"
    return _converged(smf.negativebinomial(formula, data=data).fit(disp=0, maxiter=200), "sources")


def first_report_model(events: pd.DataFrame, *, types: list[str]):
    """Fit the days from event to first dated report: Cox proportional hazards (Efron ties).

    A hazard ratio above 1 means a sooner first report. Two thirds of the events are first
    reported on their own day, so the median is 0 almost everywhere and a median regression
    says nothing; the hazard model uses the whole distribution, with Efron's handling of the
    many tied days. Reports dated before their event are not first reports
    (:func:`event_table`).
    """
    data = events.dropna(subset=["first_lag_days"]).assign(time=lambda d: d["first_lag_days"])
    country = data["country"].nunique() > 1
    return smf.phreg(f"time ~ {_terms(types, country=country)}", data=data, ties="efron").fit()


def credibility_model(articles: pd.DataFrame, *, types: list[str], reference_group: str):
    """Fit an article's credibility label (1 credible, 0 not): logit on outlet group and predicted types."""
    data = articles.dropna(subset=["credibility"]).assign(credible=lambda d: d["credibility"].astype(int))
    for t in types:
        data[t] = data[t].astype(int)
    formula = f"credible ~ C(outlet_group, Treatment(reference={reference_group!r})) + " + " + ".join(types)
    return _converged(smf.logit(formula, data=data).fit(disp=0, maxiter=200), "credibility")


def _converged(result, name: str):
    """Return ``result``, warning when the optimiser stopped before converging."""
    if not getattr(result, "mle_retvals", {}).get("converged", True):
        log.warning("%s model: the maximum-likelihood fit did not converge; read its coefficients with care", name)
    return result


#: A type enters the measurement-error check only with this many gold positives in the sample.
MIN_CHECK_POSITIVES = 10


def measurement_error_check(rows: pd.DataFrame, *, fit, types: list[str]) -> pd.DataFrame:
    """Fit a model on the random gold sample twice: with gold types and with cross-fitted predicted types.

    Types with fewer than :data:`MIN_CHECK_POSITIVES` gold positives in the sample are left
    out of both fits (their coefficients would be separation artefacts) and reported empty.

    Parameters
    ----------
    rows : DataFrame
        The model's rows for the random gold documents, with gold types (``<type>``) and
        their cross-fitted predictions (``pred_<type>``).
    fit : callable
        ``fit(rows, types=...)`` returns a fitted statsmodels result (:func:`sources_model`, ...).

    Returns
    -------
    DataFrame
        One row per type: ``term``, ``n_obs``, ``n_pos_gold``, ``n_pos_predicted``,
        ``estimate_gold``, ``estimate_predicted``, ``difference`` (predicted minus gold) and
        both estimates' intervals.
    """
    n_gold = {t: int(rows[t].sum()) for t in types}
    used = [t for t in types if n_gold[t] >= MIN_CHECK_POSITIVES]
    base = rows.drop(columns=[t for t in types if t not in used])
    with_gold = fit(base, types=used)
    predicted = base.drop(columns=used).rename(columns={f"pred_{t}": t for t in used})
    with_pred = fit(predicted, types=used)
    a, b = tidy(with_gold, model="gold", exponentiate=False), tidy(with_pred, model="pred", exponentiate=False)
    a, b = a.set_index("term").reindex(types), b.set_index("term").reindex(types)
    return pd.DataFrame(
        {
            "term": types,
            "n_obs": len(rows),
            "n_pos_gold": [n_gold[t] for t in types],
            "n_pos_predicted": [int(rows[f"pred_{t}"].sum()) for t in types],
            "estimate_gold": a["estimate"].to_numpy(),
            "estimate_gold_ci_lower": a["estimate_ci_lower"].to_numpy(),
            "estimate_gold_ci_upper": a["estimate_ci_upper"].to_numpy(),
            "estimate_predicted": b["estimate"].to_numpy(),
            "estimate_predicted_ci_lower": b["estimate_ci_lower"].to_numpy(),
            "estimate_predicted_ci_upper": b["estimate_ci_upper"].to_numpy(),
            "difference": (b["estimate"] - a["estimate"]).to_numpy(),
        }
    )


def fit_event_models(
    labelled: pd.DataFrame,
    reports: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    params: ReportParams,
    collections: AcquireParams,
) -> tuple[dict, dict[str, pd.DataFrame]]:
    """Fit the event-level models and their measurement-error checks on the random gold sample.

    Returns
    -------
    tuple
        ``{name: statsmodels result or None}`` for ``sources``, ``first_report`` and
        ``credibility`` (None where the corpus has no such data), and ``{name: check frame}``.
    """
    types = list(params.model_types)
    events = labelled[labelled["collection"].isin(collections.of_kind("event_reports"))]
    articles = labelled[labelled["collection"].isin(collections.of_kind("articles"))].dropna(subset=["credibility"])
    capitals = {k: list(v) for k, v in params.provincial_capitals.items()}
    table = event_table(events, reports, types=types, capitals=capitals)
    credibility = functools.partial(credibility_model, reference_group=params.credibility_reference_group)
    fitted = {
        "sources": sources_model(table, types=types) if len(table) else None,
        "first_report": first_report_model(table, types=types) if table["first_lag_days"].notna().any() else None,
        "credibility": credibility(articles, types=types) if articles["credibility"].nunique() > 1 else None,
    }
    checks = {}
    gold_types = {f"gold_{t}": t for t in types}
    sample = gold.set_index("doc_id")
    rows = table[table["doc_id"].isin(sample.index)].drop(columns=types)
    if len(rows):
        joined = rows.join(sample[[*gold_types, *(f"pred_{t}" for t in types)]], on="doc_id").rename(columns=gold_types)
        checks["sources"] = measurement_error_check(joined.dropna(subset=types), fit=sources_model, types=types)
    known = articles[articles["doc_id"].isin(sample.index)].drop(columns=types)
    if known["credibility"].nunique() > 1:
        joined = known.join(sample[[*gold_types, *(f"pred_{t}" for t in types)]], on="doc_id").rename(
            columns=gold_types
        )
        checks["credibility"] = measurement_error_check(joined.dropna(subset=types), fit=credibility, types=types)
    return fitted, checks
