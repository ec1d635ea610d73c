"""A 13th event type, added where docs/develop.md says, runs through the walk on the hand-written corpus.

A copy of the package gets ``kidnapping`` in ``analysis/codebook.py`` and its cues in
``analysis/labels/cues.py``, and nothing else. A script then runs, in that copy, what the
stages run: clean the corpus, vote with the labelling functions, fit the label model, train
and tune the classifier, predict, and draw the study's shares and per-type figures. Every
step must carry the new type; none may need another file changed.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures"

SCRIPT = r"""
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

import analysis
from analysis.codebook import CODEBOOK, EVENT_TYPES, MILITARY_TYPES
from analysis.config import build as build_section
from analysis.corpus import build
from analysis.corpus.collections import read_collection
from analysis.documents import document_input
from analysis.labels import combine
from analysis.labels.functions import apply_lfs
from analysis.model.families import train_model
from analysis.model.thresholds import threshold_grid
from analysis.params import CollectionSpec, load_params
from analysis.study import design, figures, tables

assert Path(analysis.__file__).resolve().parent.parent == Path.cwd().resolve(), "not the copy"
assert EVENT_TYPES[-1] == "kidnapping" and len(EVENT_TYPES) == 13
assert "kidnapping" in MILITARY_TYPES and CODEBOOK[-1].military

# clean: the hand-written corpus, as the clean stage builds it
spec = build_section(CollectionSpec, yaml.safe_load(Path("own_corpus.params.yaml").read_text()), "own_news")
acquire = replace(load_params("acquire"), collections=(spec,))
frame = read_collection(spec, Path("own_corpus.csv"))
documents, reports, _ = build.build_corpus({"own_news": frame}, acquire=acquire, params=load_params("clean"), seed=0)

# weak_label: every labelling function, the new type's three among them
texts = document_input(documents, articles=("own_news",)).set_axis(documents["doc_id"])
texts.iloc[0] = texts.iloc[0] + " Gunmen kidnapped two aid workers."  # one text that names the new type
votes = apply_lfs(texts)
assert {"kidnapping_cue", "kidnapping_paraphrase", "kidnapping_not_asserted"} <= set(votes.columns)
assert votes["kidnapping_cue"].iloc[0] == 1
gold = (votes[[f"{t}_cue" for t in EVENT_TYPES]] == 1).set_axis(list(EVENT_TYPES), axis=1)  # toy gold
label_model = combine.fit_label_model(votes, gold, combine="majority", min_accuracy=0.0, prior=gold)
weak = combine.apply_label_model(votes, label_model)
assert "kidnapping" in weak.columns

# features and train: a toy training and dev set of the set columns, the classifier tuned on dev
rows = documents[["doc_id", "collection"]].assign(source="gold", stratum="random", weight=1.0)
rows["text"] = texts.to_numpy()
train = pd.concat([rows.reset_index(drop=True), gold.reset_index(drop=True)], axis=1)
# the linear family: the study's mixture learns its distilled types from teacher labels, which a
# new type has none of until `make teacher` is run again (and which need the encoder's extra)
linear = replace(load_params("train").spec(), family="linear", type_family={})
model, thresholds, dev_proba, learned = train_model(
    train, train, spec=linear, label_model=label_model, grid=threshold_grid(0.05), refit_on_dev=False, seed=0,
)
assert "kidnapping" in set(thresholds["event_type"]), thresholds
assert "kidnapping" in learned.columns, learned.columns

# predict: every document gets the new type's probability and label
proba = model.predict_proba(texts.reset_index(drop=True))
assert list(proba.columns) == [f"p_{t}" for t in EVENT_TYPES], proba.columns
labels = model.labels_from_proba(proba)
assert bool(labels["kidnapping"].iloc[0])

# report: PPI++ shares and the per-type figures carry the new type
labelled = documents.drop(columns="text").reset_index(drop=True)
labelled[list(EVENT_TYPES)] = labels.to_numpy()
population = design.with_crossfit(labelled, labelled[["doc_id", *EVENT_TYPES]])
table = gold.reset_index().assign(collection="own_news", stratum="random")
table["text_group"] = documents["text_group"].to_numpy()
sample = design.design_gold(table, sample_strata=("random",))
shares = tables.type_shares(population, sample, level=0.95, fractions=design.sampling_fractions(population, sample))
assert "kidnapping" in set(shares["event_type"])
selection = pd.DataFrame({
    "country": "Iraq", "event_type": np.repeat(EVENT_TYPES, 2), "deaths_band": ["0", "1"] * 13, "n_events": 6,
    "mean_sources": 1.5, "mean_sources_ci_lower": 1.0, "mean_sources_ci_upper": 2.0, "spearman_rho": 0.1,
    "spearman_p": 0.5,
})
fig = figures.selection(selection, level=0.95)
assert sum(ax.get_visible() for ax in fig.axes) == 13
print("13 types: cleaned, voted, trained, predicted, estimated, drawn")
"""


def _add_type(package: Path) -> None:
    """Add the type where docs/develop.md says: its codebook entry and its cues (nothing else)."""
    codebook = package / "codebook.py"
    text = codebook.read_text()
    anchor = '    "chemical": "use of chemical weapons or toxic gas, alleged or confirmed",\n'
    assert anchor in text
    entry = '    "kidnapping": "people seized and held by an armed actor: abducted, kidnapped, taken hostage",\n'
    codebook.write_text(text.replace(anchor, anchor + entry))
    cues = package / "labels" / "cues.py"
    text = cues.read_text()
    for name, pattern in (("CUES", r'r"kidnapp\w*", r"abduct\w*"'), ("PARAPHRASES", r'r"taken\s+hostage"')):
        head = f"{name}: dict[str, re.Pattern[str]] = {{\n"
        assert head in text
        text = text.replace(head, f'{head}    "kidnapping": _rx({pattern}),\n')
    cues.write_text(text)


def test_a_thirteenth_event_type_runs_through_the_walk(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(paths.ROOT / "analysis", copy / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(paths.PARAMS, copy / "params.yaml")
    for name in ("own_corpus.csv", "own_corpus.params.yaml"):
        shutil.copy(FIXTURES / name, copy / name)
    _add_type(copy / "analysis")
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=copy, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "13 types" in done.stdout
