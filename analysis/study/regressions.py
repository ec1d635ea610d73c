"""Event-level models of reporting: how many sources an event draws, how soon it is first reported, what is believed.

Studies of conflict reporting model reporting at the level of the event (Weidmann, AJPS 2016;
Baum and Zhukov, JPR 2015): the number of sources and the time to the first report, against
what happened, where and when. No covariate is read from text that includes the outcome:

- ``coded``: UCDP's own coding of the event (type of violence; deaths of the sides, of
  civilians and unknown), which its coders took from the full sources; not from the
  headlines the outcome counts, but not independent of the sources either (a toll compiled
  from more sources may be counted more fully);
- ``first_report``: the types the classifier reads in the event's first report alone
  (:mod:`analysis.model.first_reports`), with that headline's length as a control, corrected
  for the classifier's errors by design-based supervised learning on the first-report gold
  round (:mod:`analysis.study.dsl`); types with too few gold positives are left out.

Both specifications hold year and governorate effects (governorates with few events pooled
per country, so the country is absorbed) and whether the place is a provincial capital.
Errors are clustered on the events that share a text or any one report
(:func:`report_clusters`): events cited by the same articles share their outcome.

- :func:`event_models`, the sources model: the source reports beyond the first, ``n - 1``, by Poisson
  pseudo-maximum likelihood (a model of the mean, consistent whatever the dispersion). GED
  codes an event only from a source, so every event has one: the first source is what makes
  the event exist, ``n - 1`` counts the rest, and its zeros are real. A zero-truncated model
  of ``n`` would describe a latent count no event can have.
- :func:`event_models`, the first-report model: the day of the earliest dated report UCDP
  cited, as a discrete-time hazard (complementary log-log on event-days up to
  ``report.hazard_max_days``, a baseline per day band): exp(coefficient) is a hazard ratio.
  Each covariate has one ratio for the event's own day and one for the days after it,
  because a single ratio would average effects of opposite sign (proportional hazards does
  not hold across day 0). Two thirds of events are first reported on their own day, which a
  continuous-time Cox model can handle only as ties.
- :func:`credibility_model`: FA-KES articles, credible or not (logit), against outlet group
  and the articles' gold types (every FA-KES text group has gold).
"""

from __future__ import annotations

import logging
import re
import unicodedata

import numpy as np
import pandas as pd
import patsy
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from analysis.study import dsl

log = logging.getLogger(__name__)

_FEATURE = re.compile(r"\s+(?:town|city|village|camp|district|neighbou?rhood|area|governorate|province)$")
_ARTICLE = re.compile(r"^(?:al|ar|as|ad|an|at|az|el|ash|adh)[\s-]+")
#: UCDP's type of violence, by its code.
VIOLENCE = {1: "state_based", 2: "non_state", 3: "one_sided"}
#: Day bands of the discrete-time baseline hazard: a band starts at each of these days.
DAY_BANDS = (0, 1, 2, 3, 7, 14)
CONTROLS = "C(year) + C(governorate) + capital"
CODED = "violence_non_state + violence_one_sided + log_deaths_sides + log_deaths_civilians + log_deaths_unknown"
#: What each model's table names as its reference categories.
REFERENCES = {
    "sources": "state-based violence; the first year; the first governorate (alphabetical)",
    "first_report": "state-based violence; the first year; the first governorate (alphabetical); day 0",
    "credibility": "the outlet group report.credibility_reference_group",
}


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
    events: pd.DataFrame,
    first: pd.DataFrame,
    *,
    types: list[str],
    capitals: dict[str, list[str]],
    min_governorate: int,
    reports: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per eligible event with the models' variables.

    Parameters
    ----------
    events : DataFrame
        Eligible ``event_reports`` documents: ``doc_id``, ``collection``, ``text_group``,
        ``country``, ``admin1``, ``location``, ``event_date``, ``n_reports``, ``deaths_best``,
        ``violence_type``, ``deaths_side_a``, ``deaths_side_b``, ``deaths_civilians``.
    first : DataFrame
        :func:`analysis.model.first_reports.first_report_predictions`.
    types : list of str
        The event types entered.
    capitals : dict
        Country -> its provincial capitals (``report.provincial_capitals``).
    min_governorate : int
        Governorates with fewer events are pooled as ``<country>: other``.
    reports : DataFrame, optional
        The events' reports, for the error clusters (:func:`report_clusters`); without them,
        the text group.

    Returns
    -------
    DataFrame
        ``doc_id``, ``collection``, ``text_group``, ``n_sources``, ``extra_sources``,
        ``first_lag_days``, ``year``, ``governorate``, ``capital`` (0/1), ``violence`` and its
        indicators ``violence_non_state`` and ``violence_one_sided`` (against state-based),
        ``log_deaths_sides``, ``log_deaths_civilians``, ``log_deaths_unknown`` (log1p of each
        count; unknown: UCDP's best estimate less the others, at least 0),
        ``log_headline_chars``, ``fr_<type>`` (0/1, the first report's predicted types) and
        ``cluster`` (the events whose errors are clustered together).
    """
    keys = {country: {place_key(c) for c in names} for country, names in capitals.items()}
    first = first.set_index("doc_id").reindex(events["doc_id"])
    side = events["deaths_side_a"].astype(float).fillna(0) + events["deaths_side_b"].astype(float).fillna(0)
    civilians = events["deaths_civilians"].astype(float).fillna(0)
    unknown = (events["deaths_best"].astype(float).fillna(0) - side - civilians).clip(lower=0)
    governorate = events["country"].astype(str) + ": " + events["admin1"].fillna("unknown").astype(str)
    small = governorate.map(governorate.value_counts()) < min_governorate
    governorate = governorate.where(~small, events["country"].astype(str) + ": other")
    out = pd.DataFrame(
        {
            "doc_id": events["doc_id"].to_numpy(),
            "collection": events["collection"].to_numpy(),
            "text_group": events["text_group"].to_numpy(),
            "n_sources": events["n_reports"].astype(int).to_numpy(),
            "first_lag_days": first["first_lag_days"].astype(float).to_numpy(),
            "year": events["event_date"].dt.year.astype(int).to_numpy(),
            "governorate": governorate.to_numpy(),
            "capital": [
                int(place_key(loc) in keys.get(country, set()))
                for loc, country in zip(events["location"], events["country"], strict=True)
            ],
            "violence": events["violence_type"].map(VIOLENCE).fillna("unknown").to_numpy(),
            # 0/1 against state-based violence (and the few events UCDP left uncoded), so that a
            # type's hazard ratio can differ between day 0 and later without a collinear dummy
            "violence_non_state": (events["violence_type"] == 2).fillna(False).astype(int).to_numpy(),
            "violence_one_sided": (events["violence_type"] == 3).fillna(False).astype(int).to_numpy(),
            "log_deaths_sides": np.log1p(side).to_numpy(),
            "log_deaths_civilians": np.log1p(civilians).to_numpy(),
            "log_deaths_unknown": np.log1p(unknown).to_numpy(),
            "log_headline_chars": np.log1p(first["headline_chars"].astype(float).fillna(0)).to_numpy(),
        }
    )
    out["extra_sources"] = out["n_sources"] - 1
    out["cluster"] = report_clusters(events, reports).to_numpy() if reports is not None else out["text_group"]
    for t in types:
        out[f"fr_{t}"] = first[t].fillna(False).astype(int).to_numpy()
    return out


def report_clusters(events: pd.DataFrame, reports: pd.DataFrame) -> pd.Series:
    """Cluster events that share their text or any identical report (same outlet, date and headline).

    Events share their errors where they share their sources: a text group shares every
    headline, and one report cited by two events in different text groups ties them too. The
    clusters are the connected components of that graph.

    Parameters
    ----------
    events : DataFrame
        ``doc_id`` and ``text_group``.
    reports : DataFrame
        ``doc_id``, ``outlet``, ``published`` and ``headline`` of their reports.

    Returns
    -------
    Series
        The cluster (an integer) of each event, indexed like ``events``.
    """
    position = pd.Series(np.arange(len(events)), index=events["doc_id"].to_numpy())
    cited = reports[reports["doc_id"].isin(position.index)]
    keys = [
        events["text_group"].astype(str).to_numpy(),
        np.array(
            ["|".join(map(str, r)) for r in cited[["outlet", "published", "headline"]].itertuples(index=False)],
            dtype=object,
        ),
    ]
    nodes = [position.to_numpy(), position[cited["doc_id"]].to_numpy()]
    rows, cols = [], []
    for key, node in zip(keys, nodes, strict=True):
        first = pd.Series(node).groupby(pd.Series(key)).transform("first").to_numpy()  # link each to its group's first
        rows.append(node)
        cols.append(first)
    graph = sparse.coo_matrix(
        (np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(len(events), len(events)),
    )
    _, labels = connected_components(graph, directed=False)
    return pd.Series(labels, index=events.index)


def person_days(table: pd.DataFrame, *, max_days: int) -> pd.DataFrame:
    """Expand events with a dated first report into event-days at risk, for the discrete-time hazard.

    An event first reported on day ``d <= max_days`` contributes days ``0..d``, the last with
    ``y = 1``; one first reported later is censored after ``max_days`` (all ``y = 0``).

    Returns
    -------
    DataFrame
        ``table``'s columns repeated per day, plus ``day``, ``band`` (the baseline's day band,
        as text), ``same_day`` and ``later`` (0/1: day 0, or after it) and ``y``.
    """
    dated = table.dropna(subset=["first_lag_days"]).reset_index(drop=True)
    lag = dated["first_lag_days"].astype(int).to_numpy()
    last = np.minimum(lag, max_days)
    rows = np.repeat(np.arange(len(dated)), last + 1)
    day = np.concatenate([np.arange(n + 1) for n in last]) if len(last) else np.array([], dtype=int)
    out = dated.iloc[rows].reset_index(drop=True)
    out["day"] = day
    out["y"] = ((day == lag[rows]) & (lag[rows] <= max_days)).astype(int)
    out["band"] = day_band(day, max_days=max_days)
    out["same_day"] = (day == 0).astype(int)  # the covariates' hazard ratios on the event's day and after it
    out["later"] = 1 - out["same_day"]
    return out


def day_band(day: np.ndarray, *, max_days: int) -> list[str]:
    """Name each day's band of :data:`DAY_BANDS`, zero-padded so that the bands sort in order.

    >>> day_band(np.array([0, 2, 5, 20]), max_days=30)
    ['00', '02', '03-06', '14-30']
    """
    edges = list(DAY_BANDS)
    ends = [e - 1 for e in edges[1:]] + [max_days]
    names = [f"{s:02d}" if s == e else f"{s:02d}-{e:02d}" for s, e in zip(edges, ends, strict=True)]
    return [names[int(np.searchsorted(edges, d, side="right")) - 1] for d in np.asarray(day)]


def fit_glm(
    data: pd.DataFrame,
    formula: str,
    *,
    link: str,
    cluster: str,
    level: float,
    gold: pd.DataFrame | None = None,
    replace: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Fit one GLM with cluster-robust errors, design-corrected where ``gold`` is given.

    Parameters
    ----------
    data : DataFrame
        The model's rows (a ``doc_id`` column links them to ``gold``).
    formula : str
        A patsy formula ``y ~ terms``.
    link : str
        ``poisson``, ``logit`` or ``cloglog`` (:mod:`analysis.study.dsl`).
    cluster : str
        The column whose values cluster the errors.
    gold : DataFrame, optional
        ``doc_id``, ``inclusion_probability`` and the gold value of each column in ``replace``.
    replace : dict, optional
        Predicted column -> its gold column in ``gold``.

    Returns
    -------
    table, info
        The tidy coefficients (:func:`analysis.study.dsl.coefficient_table`, exponentiated
        into ``ratio`` columns) and ``n_rows``, ``n_clusters``, ``n_gold`` (units of the gold
        sample among the rows).
    """
    y, X = patsy.dmatrices(formula, data, return_type="dataframe", NA_action="raise")
    kwargs: dict = {}
    n_gold = 0
    if gold is not None:
        g = gold.set_index("doc_id")
        sampled = data["doc_id"].isin(g.index).to_numpy()
        swapped = data.copy()
        for predicted, truth in (replace or {}).items():
            values = data["doc_id"].map(g[truth].astype(int))
            swapped[predicted] = values.where(sampled, data[predicted]).astype(int)
        (X_gold,) = patsy.build_design_matrices([X.design_info], swapped, return_type="dataframe")
        weight = np.where(sampled, 1 / data["doc_id"].map(g["inclusion_probability"]).fillna(1).to_numpy(), 0.0)
        kwargs = {"X_gold": X_gold.to_numpy(), "weight": weight}
        n_gold = int(data.loc[sampled, "doc_id"].nunique())
    # a term no row takes (an interaction the data never reach, in a subset) cannot be estimated: left out
    used = (X.to_numpy() != 0).any(axis=0) | (kwargs["X_gold"] != 0).any(axis=0) if kwargs else X.to_numpy().any(axis=0)
    if not used.all():
        log.info("left out of %s: %s (no row takes them)", formula.split("~")[0].strip(), list(X.columns[~used]))
        X = X.loc[:, used]
        kwargs = {**kwargs, "X_gold": kwargs["X_gold"][:, used]} if kwargs else kwargs
    beta, cov = dsl.fit(link, y.iloc[:, 0].to_numpy(), X.to_numpy(), clusters=data[cluster].to_numpy(), **kwargs)
    table = dsl.coefficient_table(beta, cov, list(X.columns), level=level, exponentiate=False)
    for col, src in (
        ("ratio", "estimate"),
        ("ratio_ci_lower", "estimate_ci_lower"),
        ("ratio_ci_upper", "estimate_ci_upper"),
    ):
        table[col] = np.exp(table[src])
    info = {"n_rows": len(data), "n_clusters": int(data[cluster].nunique()), "n_gold": n_gold}
    return table, info


def _specs(table: pd.DataFrame, gold: pd.DataFrame, *, types: list[str], min_positives: int) -> dict:
    """Return the two specifications' terms, and for the first-report one its gold and types (or None)."""
    sampled = gold[gold["doc_id"].isin(table["doc_id"])]
    used = [t for t in types if t in sampled.columns and int(sampled[t].sum()) >= min_positives]
    if len(sampled) and used:
        first = " + ".join([*(f"fr_{t}" for t in used), "log_headline_chars"])
        replace = {f"fr_{t}": t for t in used}
        return {"coded": (CODED, None, None), "first_report": (first, sampled, replace)}
    return {"coded": (CODED, None, None)}


def event_models(
    table: pd.DataFrame, gold: pd.DataFrame, *, types: list[str], min_positives: int, max_days: int, level: float
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """Fit the sources and first-report models in each specification; compare corrected and naive fits.

    Returns
    -------
    tables, fit, naive
        ``{"sources": ..., "first_report": ...}`` tidy tables with ``model`` and ``spec``; one
        fit row per model and specification (``model``, ``spec``, ``estimator``, ``n_obs``,
        ``n_rows``, ``n_clusters``, ``n_gold``); and the first-report specification fitted
        without correction (``model``, ``term``, ``estimate``, ``estimate_ci_lower``,
        ``estimate_ci_upper``), for the measurement-error table.
    """
    tables: dict[str, list] = {"sources": [], "first_report": []}
    fits, naive = [], []
    days = person_days(table, max_days=max_days)
    outcomes = {
        "sources": (table, "extra_sources", "poisson", "Poisson pseudo-ML on n - 1"),
        "first_report": (days, "y", "cloglog", f"discrete-time cloglog, days 0-{max_days}"),
    }
    for spec, (terms, sample, replace) in _specs(table, gold, types=types, min_positives=min_positives).items():
        for model, (data, outcome, link, estimator) in outcomes.items():
            if data.empty:
                continue
            rhs = terms
            if model == "first_report":  # proportional hazards would not hold: day 0 and later apart
                rhs = "C(band) + " + " + ".join(f"{t}:same_day + {t}:later" for t in terms.split(" + "))
            formula = f"{outcome} ~ {rhs} + {CONTROLS}"
            kw = {"link": link, "cluster": "cluster", "level": level}
            coef, info = fit_glm(data, formula, gold=sample, replace=replace, **kw)
            tables[model].append(coef.assign(model=model, spec=spec))
            fits.append(
                {"model": model, "spec": spec, "estimator": estimator, "n_obs": data["doc_id"].nunique(), **info}
            )
            if sample is not None:
                plain, _ = fit_glm(data, formula, **kw)
                naive.append(plain.assign(model=model))
    out = {m: pd.concat(v, ignore_index=True) if v else pd.DataFrame() for m, v in tables.items()}
    return out, pd.DataFrame(fits), pd.concat(naive, ignore_index=True) if naive else pd.DataFrame()


def credibility_model(articles: pd.DataFrame, *, types: list[str], reference_group: str, level: float):
    """Fit an article's credibility label (1 credible, 0 not): logit on outlet group and its gold types.

    Returns
    -------
    table, info
        As :func:`fit_glm`; errors clustered on the text group.
    """
    data = articles.dropna(subset=["credibility"]).assign(credible=lambda d: d["credibility"].astype(int))
    data = data.dropna(subset=types).astype({t: int for t in types})
    group = f"C(outlet_group, Treatment(reference={reference_group!r}))"
    return fit_glm(data, f"credible ~ {group} + {' + '.join(types)}", link="logit", cluster="text_group", level=level)
