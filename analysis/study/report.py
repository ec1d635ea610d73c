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
    validity,
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
    "selection_by_type": "Sources per unsealed {events} event by country, fatality band and the type predicted from "
    "its first report alone ({level} t).",
    "model_sources": "Source reports beyond the first per unsealed {events} event: Poisson pseudo-ML on n - 1, "
    "incidence-rate ratios ({level}; errors clustered on shared texts or reports). Specs: coded (UCDP's coding), "
    "first_report (the first report's predicted types, corrected on the first-report gold round).",
    "model_first_report": "Day of the first dated report of unsealed {events} events: discrete-time cloglog, hazard "
    "ratios on day 0 and after it ({level}; errors clustered on shared texts or reports).",
    "model_credibility": "Credibility of {articles} articles: logit on outlet group and gold types, odds ratios "
    "({level}; errors clustered by text group).",
    "model_fit": "Event-level models: estimator, events, rows, clusters, gold units, errors, reference categories.",
    "measurement_error": "First-report type coefficients (log scale) without and with the design-based correction "
    "({level}).",
    "convergent_validity": "Predicted types of unsealed {events} events against UCDP's coding: recall, precision, "
    "AUC of the cross-fitted probabilities, and how often the gold sample's headlines mention what UCDP coded "
    "({level} Wilson).",
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
    first: pd.DataFrame,
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
    first : dict of str to DataFrame
        ``predictions``: every eligible event's first report predicted
        (:func:`analysis.model.first_reports.first_report_predictions`); ``gold``: the
        first-report round (:func:`analysis.labels.gold.first_report_gold`).
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
    built = _models(population, articles, first, sampled, event_reports, params=params, events=events)
    built["convergent_validity"] = validity.convergent_validity(
        population[population["collection"].isin(events)], sampled, level=level
    )
    built["lag_by_outlet"] = analyses.lag_by_outlet(event_reports, min_reports=params.lag_min_reports)
    built["lag_by_type"] = analyses.lag_by_type(event_reports, labelled)
    # types read in the first report alone: the whole document's grow with its sources, the outcome here
    first_types = first["predictions"][["doc_id", *EVENT_TYPES]]
    selected = eligible(event_docs).drop(columns=list(EVENT_TYPES)).merge(first_types, on="doc_id", how="inner")
    built["selection_by_type"] = analyses.selection_by_type(
        selected, bins=list(params.selection_death_bins), level=level, seed=seed
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


def _models(
    population: pd.DataFrame,
    articles: pd.DataFrame,
    first: dict[str, pd.DataFrame],
    sampled: pd.DataFrame,
    reports: pd.DataFrame,
    *,
    params: ReportParams,
    events: list[str],
) -> dict[str, pd.DataFrame]:
    """Fit the event-level models and the credibility model; return their tables (:mod:`model_tables`).

    With ``report.exclude_outlets``, an event's sources are counted without those outlets'
    reports, and an event none of the others reported is left out (its first report stays as it was).
    """
    types = list(params.model_types)
    capitals = {k: list(v) for k, v in params.provincial_capitals.items()}
    modelled = population[population["collection"].isin(events)]
    if params.exclude_outlets:
        counts = reports[~reports["outlet"].isin(params.exclude_outlets)].groupby("doc_id").size()
        modelled = modelled.assign(n_reports=modelled["doc_id"].map(counts).fillna(0).astype(int))
        modelled = modelled[modelled["n_reports"] > 0]
    table = regressions.event_table(
        modelled,
        first["predictions"],
        types=types,
        capitals=capitals,
        min_governorate=params.governorate_min_events,
        reports=reports,
    )
    fitted, fits, naive = regressions.event_models(
        table,
        first["gold"],
        types=types,
        min_positives=params.dsl_min_gold_positives,
        max_days=params.hazard_max_days,
        level=params.ci_level,
    )
    known = sampled.drop_duplicates("text_group").set_index("text_group")  # gold types, per text group
    graded = articles.drop(columns=types).join(known[[f"gold_{t}" for t in types]], on="text_group")
    graded = graded.rename(columns={f"gold_{t}": t for t in types})
    if graded.dropna(subset=["credibility", *types])["credibility"].nunique() > 1:
        coef, info = regressions.credibility_model(
            graded, types=types, reference_group=params.credibility_reference_group, level=params.ci_level
        )
        fitted["credibility"] = coef.assign(model="credibility", spec="gold")
        row = {"model": "credibility", "spec": "gold", "estimator": "logit", "n_obs": info["n_rows"], **info}
        fits = pd.concat([fits, pd.DataFrame([row])], ignore_index=True)
    return model_tables.model_tables(fitted, fits, naive, level_label=params.group_label)


def study_figures(
    labelled: pd.DataFrame,
    reports: pd.DataFrame,
    built: dict[str, pd.DataFrame],
    instrument: dict | None,
    crossfit: pd.DataFrame,
    *,
    params: ReportParams,
    collections: AcquireParams,
) -> dict[str, plt.Figure]:
    """Draw every study figure, keyed by its file name (without suffix); see :data:`FIGURES`.

    ``instrument`` holds the trained classifier's test ``scores``, ``calibration`` curve and the
    types left to the ``rules``; with ``None`` (a pinned classifier, evaluated where it was
    trained) its two figures say so. ``crossfit``: the ``crossfit`` stage's predictions, which
    the weekly shares of ``dynamics`` count (no document read by a model that trained on it).
    """
    labels = collections.labels()
    events, articles = collections.of_kind("event_reports"), collections.of_kind("articles")
    key_dates = {c: params.key_date_pairs(c) for c in labels}
    event_names = " and ".join(labels[c] for c in events)
    drawn = {
        "volume_monthly": figures.volume_monthly(analyses.monthly_volume(reports), labels=labels, key_dates=key_dates),
    }
    if instrument is not None:
        rules = instrument["rules"]
        drawn["classifier_performance"] = model_figures.classifier_performance(instrument["scores"], rules=rules)
        drawn["calibration"] = model_figures.calibration(instrument["calibration"], rules=rules, level=params.ci_level)
    else:
        reason = "the classifier is pinned: it was evaluated where it was trained"
        drawn.update({n: figures.not_applicable(n, reason=reason) for n in ("classifier_performance", "calibration")})
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
        out_of_fold = design.with_crossfit(eligible(labelled), crossfit)
        out_of_fold = out_of_fold.assign(**{t: out_of_fold[f"cf_{t}"].astype(bool) for t in EVENT_TYPES})
        for c in events:
            start, end = params.dynamics_windows.get(c, (None, None))
            weekly = analyses.weekly_shares(out_of_fold, collection=c, start=start, end=end)
            window = f", events of {start} to {end} only" if start else ""  # report.dynamics_windows
            panels.append((c, f"{labels[c]}{window}", weekly))
        drawn["dynamics"] = figures.dynamics(
            panels,
            built["type_shares_by_year"],
            min_events=params.dynamics_min_events,
            key_dates=key_dates,
            level=params.ci_level,
        )
    if events and len(built["convergent_validity"]):
        drawn["convergent_validity"] = model_figures.convergent_validity(
            built["convergent_validity"], labels=labels, level=params.ci_level
        )
    fits = built["model_fit"].set_index(["model", "spec"]) if len(built["model_fit"]) else None
    for name, title, xlabel in _COEFFICIENT_PLOTS:
        table = built[name]
        if len(table):
            model = name.removeprefix("model_")
            sizes = "; ".join(
                f"{spec.replace('_', ' ')}: n = {fits.loc[(model, spec), 'n_obs']:,}" for spec in table["spec"].unique()
            )
            drawn[f"coef_{model}"] = model_figures.coefficients(
                table,
                title=title.format(
                    events=event_names,
                    articles=" and ".join(labels[c] for c in articles),
                    reference=params.group_label(params.credibility_reference_group),
                    days=params.hazard_max_days,
                    sizes=sizes,
                ),
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
        "Source reports beyond the first per unsealed {events} event\n"
        "(Poisson pseudo-ML; {sizes}). Errors clustered on shared texts or reports.\n"
        "References: state-based violence, first year, first governorate; year and governorate effects\n"
        "not drawn. first report: types read in the first report alone, corrected on its gold round",
        "incidence-rate ratio ({level} interval, log scale)",
    ),
    (
        "model_first_report",
        "Hazard of the first dated report of unsealed {events} events, days 0-{days}\n"
        "(discrete-time cloglog; {sizes}). Above 1: sooner; each term on day 0 and after it.\n"
        "Errors clustered on shared texts or reports. References: state-based violence, first year,\n"
        "first governorate, day 0; year, governorate and day-band effects not drawn. first report:\n"
        "types read in the first report alone, corrected on its gold round",
        "hazard ratio ({level} interval, log scale)",
    ),
    (
        "model_credibility",
        "Credibility label of unsealed {articles} articles (logit; {sizes}).\n"
        "Outlet groups against {reference}; types are the articles' gold labels.\n"
        "Errors clustered by text group",
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
    "convergent_validity",
    "classifier_performance",
    "calibration",
)
