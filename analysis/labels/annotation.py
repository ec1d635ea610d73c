"""Drawing the gold-standard sample and reading the annotation files.

The sample is drawn once, deterministically, from the documents table and
committed as ``annotations/sample.csv`` (ids and strata only, never texts).
Annotators then label each sampled document by reading it against the codebook;
their labels live in ``annotations/labels.csv`` with one row per document and
pass (``a``, ``b``, ``adjudicated``).

The sampling cues below only decide which documents are *read*; they never
decide a label.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.documents import eligible

#: Broad cues for the enriched strata: recall over precision, used for sampling only.
SAMPLING_CUES = {
    "rare": re.compile(
        r"\b(?:defect\w*|desert(?:ed|ion|ers?)\b|switch\w* sides|split from|break(?:s|ing)? ranks|"
        r"broke ranks|surrender\w*|la(?:y|id|ying|ys) down (?:their |his )?(?:arms|weapons)|"
        r"hand\w* over (?:their |his )?weapons|turn\w* themselves in|settl\w* (?:their |the )?status|"
        r"withdr[ae]w\w*|pull\w* out|retreat\w*|driven out|los(?:t|e|ing) control|fle(?:e|d|eing)\b)",
        re.IGNORECASE,
    ),
    "siege": re.compile(r"\b(?:besieg\w*|siege\w*|encircl\w*|blockad\w*|surround\w*|cut off)", re.IGNORECASE),
    # Territorial change of any kind, for the train-only supplement (round 2): the types the
    # first round left weakest (advance, retreat, siege) all hinge on who holds ground.
    "territory": re.compile(
        r"\b(?:advanc\w*|captur\w*|seiz\w*|recaptur\w*|retak\w*|re-tak\w*|took|take[ns]?|taking|"
        r"liberat\w*|storm\w*|push\w*|progress\w*|control\w*|enter\w*|overr[au]n\w*|gain\w*|"
        r"withdr[ae]w\w*|retreat\w*|pull\w* out|fle[de]\w*|besieg\w*|siege\w*|encircl\w*|"
        r"surround\w*|blockad\w*)",
        re.IGNORECASE,
    ),
}

#: The stratum of the round-2 supplement. Its documents are read and labelled exactly like the
#: first round's, but the sample depends on cues and was drawn after the split, so the gold
#: table puts them in ``train`` only (``gold.train_only_strata``): dev and test stay as drawn.
SUPPLEMENT_STRATUM = "supplement_territory"

#: The stratum of the fresh test set (round 3): drawn at random outside every earlier gold text
#: group, annotated, frozen and scored once. It replaces round 1's test split, which had been
#: scored seven times; round 1's test documents join train and dev.
FRESH_TEST_STRATUM = "fresh_test"
#: The first-report round: events drawn uniformly per collection, their first report's headline annotated.
FIRST_REPORT_STRATUM = "first_report_random"
#: The active-learning rounds (:mod:`analysis.labels.active`): chosen by the model of the day, so no
#: inclusion probability exists; train only (``gold.train_only_strata``).
ACTIVE_STRATA = ("active_1", "active_2")
MODEL_CHOSEN = "model"  # the "cue" of a stratum the model chose: its draw is ``model:uncertainty``


def eligible_for_annotation(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents that may be annotated: not sealed, not in a text group with a sealed one.

    One document per ``text_group`` (the smallest ``doc_id``) is kept, so that annotators do
    not read the same text twice.

    Returns
    -------
    DataFrame
        A subset of ``documents`` rows, sorted by ``doc_id``.
    """
    pool = eligible(documents)
    pool = pool.sort_values("doc_id").drop_duplicates("text_group", keep="first")
    return pool.reset_index(drop=True)


def draw_sample(documents: pd.DataFrame, *, per_collection: int, n_siege: int, seed: int) -> pd.DataFrame:
    """Draw the annotation sample: a random stratum plus two cue-enriched strata.

    Parameters
    ----------
    documents : DataFrame
        The documents table (``doc_id``, ``collection``, ``text``, ``text_group``, ``sealed``,
        ``sealed_group``).
    per_collection : int
        Documents drawn uniformly at random from each collection (stratum ``random``).
    n_siege : int
        Documents drawn at random among the remaining ones matching the siege cues
        (stratum ``enriched_siege``).
    seed : int
        Seed of the random draws.

    Returns
    -------
    DataFrame
        Columns ``doc_id``, ``collection``, ``stratum`` (``random``, ``enriched_rare``: every
        remaining document matching the defection/surrender/retreat cues,
        ``enriched_siege``), sorted by ``stratum`` then ``doc_id``.
    """
    rng = np.random.default_rng(seed)
    pool = eligible_for_annotation(documents)
    parts = []
    for _, group in pool.groupby("collection", sort=True):
        take = rng.choice(len(group), size=min(per_collection, len(group)), replace=False)
        parts.append(group.iloc[np.sort(take)].assign(stratum="random"))
    chosen = pd.concat(parts)
    rest = pool[~pool["doc_id"].isin(chosen["doc_id"])]
    rare = rest[rest["text"].map(lambda t: bool(SAMPLING_CUES["rare"].search(t)))]
    chosen = pd.concat([chosen, rare.assign(stratum="enriched_rare")])
    rest = pool[~pool["doc_id"].isin(chosen["doc_id"])]
    siege = rest[rest["text"].map(lambda t: bool(SAMPLING_CUES["siege"].search(t)))]
    take = rng.choice(len(siege), size=min(n_siege, len(siege)), replace=False)
    chosen = pd.concat([chosen, siege.iloc[np.sort(take)].assign(stratum="enriched_siege")])
    out = chosen[["doc_id", "collection", "stratum"]]
    return out.sort_values(["stratum", "doc_id"], ignore_index=True)


def draw_supplement(
    documents: pd.DataFrame, *, exclude_groups: pd.Series, per_collection: dict[str, int], seed: int
) -> pd.DataFrame:
    """Draw the round-2 training supplement: eligible documents matching the territorial cues.

    Parameters
    ----------
    documents : DataFrame
        The documents table (as for :func:`draw_sample`).
    exclude_groups : Series
        Text groups already in the gold standard; no document of these groups is drawn, so a
        supplement document never shares a text with a dev or test document.
    per_collection : dict
        How many documents to draw at random per collection among those matching
        ``SAMPLING_CUES["territory"]`` (all of them when fewer match).
    seed : int
        Seed of the random draws.

    Returns
    -------
    DataFrame
        Columns ``doc_id``, ``collection``, ``stratum`` (always ``SUPPLEMENT_STRATUM``),
        sorted by ``doc_id``.
    """
    cue = SAMPLING_CUES["territory"]
    return _draw_outside(
        documents,
        exclude_groups=exclude_groups,
        per_collection=per_collection,
        seed=seed,
        keep=lambda t: bool(cue.search(t)),
        stratum=SUPPLEMENT_STRATUM,
    )


def draw_fresh_test(
    documents: pd.DataFrame, *, exclude_groups: pd.Series, per_collection: dict[str, int], seed: int
) -> pd.DataFrame:
    """Draw the fresh test sample: eligible documents outside every gold text group, at random.

    No cue decides what is drawn: each collection's eligible documents (one per text group)
    outside ``exclude_groups`` are drawn uniformly at random, so the sample measures the
    classifier on the corpus as it is (what earlier rounds left of it).

    Parameters
    ----------
    documents : DataFrame
        The documents table (as for :func:`draw_sample`).
    exclude_groups : Series
        Text groups already in the gold standard (every earlier sample).
    per_collection : dict
        How many documents to draw per collection (all of them when fewer are left).
    seed : int
        Seed of the random draws.

    Returns
    -------
    DataFrame
        Columns ``doc_id``, ``collection``, ``stratum`` (always ``FRESH_TEST_STRATUM``),
        sorted by ``doc_id``.
    """
    return _draw_outside(
        documents,
        exclude_groups=exclude_groups,
        per_collection=per_collection,
        seed=seed,
        keep=None,
        stratum=FRESH_TEST_STRATUM,
    )


def draw_first_reports(
    events: pd.DataFrame, *, per_collection: dict[str, int], seed: int, before: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Draw events uniformly per collection, for annotating the headline of their first report.

    The unit is the event, as in the event-level models, so every eligible event (unsealed, in
    no text group with a sealed one) of a collection has the same chance, whatever its text
    group, and earlier rounds are not excluded: the round measures first-report headlines,
    which no earlier round annotated.

    Parameters
    ----------
    events : DataFrame
        ``event_reports`` documents: ``doc_id``, ``collection`` and the eligibility columns.
    per_collection : dict
        How many events to draw per collection (all of them when fewer are eligible).
    seed : int
        Seed of the random draws.
    before : DataFrame, optional
        Earlier batches of the round (this function's output). The new batch is drawn
        uniformly among the events they left, so the union is a uniform sample of its
        size: every event's inclusion probability becomes the union's size over the frame.

    Returns
    -------
    DataFrame
        The earlier batches and the new one: ``doc_id``, ``collection``, ``stratum``
        (``FIRST_REPORT_STRATUM``), ``batch`` (1, 2, ...), ``n_frame_units`` (eligible events of
        the collection) and ``inclusion_probability``, sorted by ``doc_id``.
    """
    rng = np.random.default_rng(seed)
    pool = eligible(events).sort_values("doc_id", ignore_index=True)
    before = before if before is not None else pd.DataFrame(columns=["doc_id", "collection", "batch"])
    batch = int(before["batch"].max()) + 1 if len(before) else 1
    parts = [before[["doc_id", "collection", "batch"]]]
    for collection, n in sorted(per_collection.items()):
        group = pool[(pool["collection"] == collection) & ~pool["doc_id"].isin(before["doc_id"])]
        take = rng.choice(len(group), size=min(n, len(group)), replace=False)
        parts.append(group.iloc[np.sort(take)][["doc_id", "collection"]].assign(batch=batch))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    frame = pool.groupby("collection").size()
    out["stratum"] = FIRST_REPORT_STRATUM
    out["n_frame_units"] = out["collection"].map(frame).astype(int)
    out["inclusion_probability"] = out["collection"].map(out.groupby("collection").size()) / out["n_frame_units"]
    columns = ["doc_id", "collection", "stratum", "batch", "n_frame_units", "inclusion_probability"]
    return out[columns].astype({"batch": int}).sort_values("doc_id", ignore_index=True)


def _draw_outside(documents, *, exclude_groups, per_collection, seed, keep, stratum) -> pd.DataFrame:
    """Draw per collection at random among eligible documents outside ``exclude_groups`` (``keep`` filters texts)."""
    rng = np.random.default_rng(seed)
    pool = eligible_for_annotation(documents)
    pool = pool[~pool["text_group"].isin(set(exclude_groups))]
    if keep is not None:
        pool = pool[pool["text"].map(keep)]
    parts = []
    for collection, n in sorted(per_collection.items()):
        group = pool[pool["collection"] == collection]
        take = rng.choice(len(group), size=min(n, len(group)), replace=False)
        parts.append(group.iloc[np.sort(take)])
    out = pd.concat(parts)[["doc_id", "collection"]].assign(stratum=stratum)
    return out.sort_values("doc_id", ignore_index=True)


#: How each round drew its stratum, in drawing order: the cue whose matches formed the pool
#: (None: every eligible text group), whether the pool was per collection, and whether every
#: match was taken. A stratum not named here is taken as drawn like the fresh test set
#: (uniform per collection outside every earlier round), as ``plan-annotation`` draws.
DRAWS = (
    ("random", None, True, False),
    ("enriched_rare", "rare", False, True),
    ("enriched_siege", "siege", False, False),
    (SUPPLEMENT_STRATUM, "territory", True, False),
    (FRESH_TEST_STRATUM, None, True, False),
    *((stratum, MODEL_CHOSEN, True, False) for stratum in ACTIVE_STRATA),
)


def model_chosen_strata() -> tuple[str, ...]:
    """Return the strata a model chose (:data:`DRAWS` with no probability draw): not a probability sample."""
    return tuple(stratum for stratum, cue, _, _ in DRAWS if cue == MODEL_CHOSEN)


def inclusion_probabilities(documents: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Replay each round's draw on the documents table: its frame and each gold document's inclusion probability.

    The frame of a round is the eligible text groups outside every earlier round's groups
    (matching its cue, for the cue-drawn strata); the probability is the round's draws over
    its frame (per collection where it drew per collection; 1 for a stratum that took every
    match). Later cleaning changed a few texts, so a frame replayed today can differ slightly
    from the one drawn from (``annotations/README.md``); a drawn group is always counted in it.

    Returns
    -------
    DataFrame
        ``doc_id``, ``collection``, ``stratum``, ``draw`` (``uniform`` over the collection,
        ``uniform_outside`` earlier rounds, or ``cue:<name>``), ``n_frame_units`` and
        ``inclusion_probability``, in the order of ``gold``.
    """
    pool = eligible_for_annotation(documents)
    known = [d[0] for d in DRAWS]
    later = sorted(set(gold["stratum"]) - set(known))
    earlier: set[str] = set()
    parts = []
    for stratum, cue, per_collection, census in (*DRAWS, *((s, None, True, False) for s in later)):
        drawn = gold[gold["stratum"] == stratum]
        if drawn.empty:
            continue
        if cue == MODEL_CHOSEN:  # not a probability sample: no frame, no inclusion probability
            nan = float("nan")
            parts.append(
                drawn[["doc_id", "collection", "stratum"]].assign(
                    draw="model:uncertainty", n_frame_units=nan, inclusion_probability=nan
                )
            )
            earlier |= set(drawn["text_group"])
            continue
        frame = pool[~pool["text_group"].isin(earlier) | pool["text_group"].isin(drawn["text_group"])]
        if cue is not None:
            matches = frame["text"].map(lambda t, rx=SAMPLING_CUES[cue]: bool(rx.search(t)))
            frame = frame[matches | frame["text_group"].isin(drawn["text_group"])]
        if per_collection:
            size = drawn["collection"].map(frame.groupby("collection").size()).astype(float)
            n = drawn["collection"].map(drawn.groupby("collection").size()).astype(float)
        else:
            size, n = pd.Series(float(len(frame)), index=drawn.index), pd.Series(float(len(drawn)), index=drawn.index)
        first = stratum == DRAWS[0][0]
        kind = f"cue:{cue}" if cue else ("uniform" if first else "uniform_outside")
        parts.append(
            drawn[["doc_id", "collection", "stratum"]].assign(
                draw=kind, n_frame_units=size, inclusion_probability=1.0 if census else n / size
            )
        )
        earlier |= set(drawn["text_group"])
    if not parts:  # no gold yet (a researcher's corpus before its first round)
        columns = ["doc_id", "collection", "stratum", "draw", "n_frame_units", "inclusion_probability"]
        return pd.DataFrame({c: pd.Series(dtype=float if c.startswith(("n_", "incl")) else object) for c in columns})
    return pd.concat(parts).loc[gold.index].reset_index(drop=True)
