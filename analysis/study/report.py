"""The study's tables and figures, assembled from the pipeline outputs.

Shares of predicted types are estimated over the unsealed documents, the population the
random gold sample was drawn from (:mod:`analysis.study.ppi`); descriptive tables of
reports (lag, selection) and the event-level models read every document.
"""

from __future__ import annotations

import logging

import matplotlib.pyplot as plt
import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.documents import eligible
from analysis.params import AcquireParams, ReportParams
from analysis.study import (
    analyses,
    design,
    design_checks,
    figures,
    model_figures,
    model_tables,
    planner,
    regressions,
    tables,
)

log = logging.getLogger(__name__)

CAPTIONS = {
    "type_shares": "Event-type shares per collection: naive, gold-only and the design's estimate (exact where "
    "gold is complete, else PPI++; {level}, cut at the shares the known labels allow).",
    "type_shares_by_year": "Event-type shares of {events} events per year: naive, gold-only and the design's "
    "estimate ({level}).",
    "outlet_profiles": "Event-type shares per {articles} outlet group: naive, gold-only and the design's "
    "estimate ({level}).",
    "outlet_tests": "Equal shares across {articles} outlet groups per type: chi-square on predicted labels, "
    "permutation over gold units where gold is complete, else Wald on the design's shares (Holm-adjusted).",
    "credibility_profile": "Event-type shares of {articles} articles by credibility label ({level}).",
    "credibility_tests": "Equal shares between credible and non-credible {articles} articles per type.",
    "lag_by_outlet": "Reporting lag of {events} source reports by outlet (days).",
    "lag_by_type": "Reporting lag of {events} source reports by predicted event type (days).",
    "selection_by_type": "Sources per {events} event by country, fatality band and predicted type ({level} t).",
    "model_sources": "Source reports beyond the first per {events} event: negative binomial (NB2) "
    "coefficients and incidence-rate ratios ({level}).",
    "model_first_report": "Days from {events} event to first report: proportional hazards, hazard ratios ({level}).",
    "model_credibility": "Credibility of {articles} articles: logit coefficients and odds ratios ({level}).",
    "model_fit": "Event-level models: observations, fit and NB2 dispersion.",
    "measurement_error": "Type coefficients on the random gold sample with gold and with predicted types ({level}).",
    "word_checks": "Does any document of the window use the type's words (the rules' cues and paraphrases)?",
    "gold_design": "How each gold stratum was drawn: its frame (text groups), inclusion probability and role "
    "in the study's design (known: counted exactly; sample: also the probability sample of the rest).",
    "annotation_plan": "Random gold needed per collection and type for the planned half-width, and the "
    "half-widths after the planned extra documents (normal approximation; python -m analysis plan-annotation).",
    "frame_coverage": "Documents the study's frame leaves out (sealed, or sharing a text with a sealed one) and "
    "their predicted type shares beside the frame's.",
    "sample_consistency": "Each share estimated from round 1's uniform stratum alone beside the design's estimate "
    "({level}; z on the two standard errors).",
    "relabel_check": "A blind re-annotation of gold documents against their gold labels, per stratum "
    "(annotations/README.md).",
    "shares_summary": "Event-type shares per collection: predicted labels taken as true, then the design's "
    "estimate and its method ({level}).",
    "models_summary": "Event-level models: incidence-rate, hazard and odds ratios ({level}).",
}


def captions(collections: AcquireParams, *, level: float) -> dict[str, str]:
    """Return each study table's caption, naming the collections it draws on (by kind)."""
    labels = collections.labels()
    names = {kind: " and ".join(labels[c] for c in collections.of_kind(k)) or "no" for kind, k in _KINDS.items()}
    return {k: v.format(**names, level=f"{level:.0%} intervals") for k, v in CAPTIONS.items()}


_KINDS = {"articles": "articles", "events": "event_reports"}


def study_tables(
    labelled: pd.DataFrame,
    reports: pd.DataFrame,
    gold: pd.DataFrame,
    sampled: pd.DataFrame,
    draws: pd.DataFrame,
    crossfit: pd.DataFrame,
    texts: pd.DataFrame,
    *,
    params: ReportParams,
    collections: AcquireParams,
    seed: int,
) -> dict[str, pd.DataFrame]:
    """Build every study table, keyed by its file name (see :data:`CAPTIONS`).

    Parameters
    ----------
    labelled : DataFrame
        The documents (no text) with one predicted boolean column per type.
    reports : DataFrame
        The source reports of the event collections.
    gold : DataFrame
        :func:`analysis.study.design.gold_labels`: the random gold sample, gold and cross-fitted
        labels (the event models' measurement check and the word checks).
    sampled : DataFrame
        :func:`analysis.study.design.design_gold`: every gold text group and its role in the design.
    draws : DataFrame
        The ``gold`` stage's draws: each gold document's frame and inclusion probability.
    crossfit : DataFrame
        The ``crossfit`` stage's predictions: every unsealed document predicted out of fold.
    texts : DataFrame
        ``doc_id``, ``collection``, ``event_date`` and ``text`` of the collections named in
        ``report.word_checks``.
    seed : int
        The shared seed (``base.seed``) of the bootstrap intervals.

    Returns
    -------
    dict of str to DataFrame
        One frame per key of :data:`CAPTIONS`.
    """
    level = params.ci_level
    labelled = labelled.assign(outlet_group=lambda d: d["outlet"].map(params.outlet_groups).fillna("unassigned"))
    population = design.with_crossfit(eligible(labelled), crossfit)
    fractions = design.sampling_fractions(population, sampled)
    articles = population[population["collection"].isin(collections.of_kind("articles"))]
    events = collections.of_kind("event_reports")
    event_docs = labelled[labelled["collection"].isin(events)]
    event_reports = reports[reports["collection"].isin(events)]
    fitted, checks = regressions.fit_event_models(labelled, reports, gold, params=params, collections=collections)
    built = model_tables.model_tables(fitted, checks, level=level, level_label=params.group_label)
    built["lag_by_outlet"] = analyses.lag_by_outlet(event_reports, min_reports=params.lag_min_reports)
    built["lag_by_type"] = analyses.lag_by_type(event_reports, labelled)
    built["selection_by_type"] = analyses.selection_by_type(
        event_docs, bins=list(params.selection_death_bins), level=level, seed=seed
    )
    built["word_checks"] = analyses.word_checks(texts, labelled, gold, checks=params.word_checks)
    shares = tables.type_shares(population, sampled, level=level, fractions=fractions)
    events_only = population[population["collection"].isin(events)]
    built["type_shares"] = shares
    built["type_shares_by_year"] = tables.type_shares_by_year(events_only, sampled, level=level, fractions=fractions)
    built["outlet_profiles"] = tables.outlet_profiles(articles, sampled, level=level, fractions=fractions)
    tests = {"gold": sampled, "n_perm": params.n_permutations, "seed": seed}
    built["outlet_tests"] = tables.outlet_tests(built["outlet_profiles"], articles, **tests)
    built["credibility_profile"] = tables.credibility_profile(articles, sampled, level=level, fractions=fractions)
    built["credibility_tests"] = tables.credibility_tests(built["credibility_profile"], articles, **tests)
    built["shares_summary"] = tables.shares_summary(shares)
    built["gold_design"] = design.gold_design(draws, sampled)
    built["frame_coverage"] = design_checks.frame_coverage(labelled, types=list(EVENT_TYPES))
    uniform = sampled["stratum"].isin(draws.loc[draws["draw"] == "uniform", "stratum"].unique())
    built["sample_consistency"] = design_checks.sample_consistency(
        population,
        sampled,
        shares,
        uniform=sampled.loc[uniform, "text_group"],
        types=list(EVENT_TYPES),
        level=level,
    )
    built["annotation_plan"] = planner.plan(
        population,
        sampled,
        by=["collection"],
        types=list(EVENT_TYPES),
        half_width=params.plan_half_width,
        level=level,
        extra=params.plan_extra,
    )
    return built


def study_figures(
    labelled: pd.DataFrame,
    reports: pd.DataFrame,
    built: dict[str, pd.DataFrame],
    scores: pd.DataFrame,
    calibration: pd.DataFrame,
    *,
    rules: list[str],
    params: ReportParams,
    collections: AcquireParams,
) -> dict[str, plt.Figure]:
    """Draw every study figure, keyed by its file name (without suffix); see :data:`FIGURES`."""
    labels = collections.labels()
    events, articles = collections.of_kind("event_reports"), collections.of_kind("articles")
    key_dates = {c: params.key_date_pairs(c) for c in labels}
    event_names = " and ".join(labels[c] for c in events)
    drawn = {
        "volume_monthly": figures.volume_monthly(analyses.monthly_volume(reports), labels=labels, key_dates=key_dates),
        "classifier_performance": model_figures.classifier_performance(scores, rules=rules),
        "calibration": model_figures.calibration(calibration, rules=rules, level=params.ci_level),
    }
    if articles and len(built["outlet_profiles"]):
        name = " and ".join(labels[c] for c in articles)
        drawn["outlet_profiles"] = figures.outlet_profiles(
            built["outlet_profiles"],
            built["outlet_tests"],
            group_label=params.group_label,
            collection=name,
            level=params.ci_level,
        )
    if articles and len(built["credibility_profile"]):
        drawn["credibility_profile"] = figures.credibility_profile(
            built["credibility_profile"], built["credibility_tests"], collection=name, level=params.ci_level
        )
    if events:
        event_reports = reports[reports["collection"].isin(events)]
        drawn["reporting_lag"] = figures.reporting_lag(
            event_reports,
            built["lag_by_outlet"],
            by="outlet",
            collections=event_names,
            min_reports=params.lag_min_reports,
        )
        drawn["selection"] = figures.selection(built["selection_by_type"], level=params.ci_level)
        panels = []
        for c in events:
            start, end = params.dynamics_windows.get(c, (None, None))
            weekly = analyses.weekly_shares(eligible(labelled), collection=c, start=start, end=end)
            window = f", events of {start} to {end} only" if start else ""  # report.dynamics_windows
            panels.append((c, f"{labels[c]}{window}", weekly))
        drawn["dynamics"] = figures.dynamics(
            panels,
            built["type_shares_by_year"],
            min_events=params.dynamics_min_events,
            key_dates=key_dates,
            level=params.ci_level,
        )
    for name, title, ratio, xlabel in _COEFFICIENT_PLOTS:
        table = built[name]
        if len(table):
            drawn[f"coef_{name.removeprefix('model_')}"] = model_figures.coefficients(
                table,
                title=title.format(
                    events=event_names,
                    articles=" and ".join(labels[c] for c in articles),
                    reference=params.group_label(params.credibility_reference_group),
                ),
                ratio=ratio,
                xlabel=xlabel.format(level=f"{params.ci_level:.0%}"),
                level_label=params.group_label,
            )
    for name in FIGURES:  # an analysis that does not apply to the corpus still writes its file, saying why
        if name not in drawn:
            kind = "articles" if name in _ARTICLE_FIGURES else "event_reports"
            drawn[name] = figures.not_applicable(name, reason=f"the corpus has no collection of kind {kind}")
    return {name: drawn[name] for name in FIGURES}


_COEFFICIENT_PLOTS = (
    (
        "model_sources",
        "Source reports beyond the first per {events} event (negative binomial).\nYear and country against the "
        "first in the data; types are predicted; capital: a provincial capital",
        True,
        "incidence-rate ratio ({level} interval, log scale)",
    ),
    (
        "model_first_report",
        "Days from {events} event to its first dated report (Cox model; above 1:\nsooner). Year and country "
        "against the first in the data; types are predicted",
        True,
        "hazard ratio of a first report ({level} interval, log scale)",
    ),
    (
        "model_credibility",
        "Credibility label of {articles} articles (logit). Outlet groups against\n{reference}; types are predicted",
        True,
        "odds ratio of 'credible' ({level} interval, log scale)",
    ),
)
_ARTICLE_FIGURES = ("outlet_profiles", "credibility_profile", "coef_credibility")

#: The study's figures, in the order they are written (file names without suffix).
FIGURES = (
    "volume_monthly",
    "outlet_profiles",
    "credibility_profile",
    "reporting_lag",
    "selection",
    "dynamics",
    "coef_sources",
    "coef_first_report",
    "coef_credibility",
    "classifier_performance",
    "calibration",
)
