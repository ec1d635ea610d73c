# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: language_info
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   language_info:
#     codemirror_mode:
#       name: ipython
#       version: 3
#     file_extension: .py
#     mimetype: text/x-python
#     name: python
#     nbconvert_exporter: python
#     pygments_lexer: ipython3
#     version: 3.11.7
# ---

# %% [markdown]
# # Model diagnostics
#
# How the event-type classifier does on the gold dev split, where every choice is made:
# scores against the baselines, thresholds, calibration, and the documents it gets wrong.
# Read from the `train` and `evaluate` stage outputs (the train-only model's predictions on dev).
#
# The frozen test split is not explored here: it is scored once, at the end, by an explicit
# command (`make score-test REASON="..."`, which logs each scoring in `docs/decisions.md`), and
# nothing is chosen or looked at from it.

# %%
import pandas as pd
from IPython.display import Markdown, display

from analysis import paths
from analysis.codebook import EVENT_TYPES

# %% [markdown]
# ## Scores on dev with 95% bootstrap intervals
#
# The classifier (thresholds cross-fitted on dev) against the weak labels and the keyword
# rules, on all of dev and per collection; then per type on all of dev.
# `macro_measurable_f1` averages the types with at least 10 dev positives.

# %%
display(Markdown(paths.CLASSIFIER_DEV_SUMMARY.with_suffix(".md").read_text()))
scores = pd.read_csv(paths.CLASSIFIER_DEV_SCORES.with_suffix(".csv"))
scores[(scores["system"] == "classifier") & (scores["subset"] == "all")].drop(columns=["system", "subset"])

# %% [markdown]
# ## Thresholds and calibration
#
# Thresholds were tuned on the dev split; a type the classifier backs off to the rules for
# keeps 0.5 (its probability is the rules' 0/1 vote). The calibration curve pools all types
# on dev (the diagonal is perfect calibration).

# %%
display(Markdown(paths.THRESHOLDS.with_suffix(".md").read_text()))
calibration = pd.read_csv(paths.CALIBRATION_DEV).query("event_type == 'all'")
ax = calibration.plot(
    x="mean_predicted",
    y="fraction_positive",
    marker="o",
    legend=False,
    figsize=(4, 4),
    xlabel="mean predicted probability",
    ylabel="fraction positive",
    title="Calibration on gold dev",
)
_ = ax.axline((0, 0), slope=1, color="grey", linestyle=":")

# %% [markdown]
# ## Errors per type
#
# Errors on dev by cue family (what the labelling functions saw; `evaluate` stage), then a few
# false negatives and false positives per type with the classifier's probability at the saved
# thresholds. Texts come from the dev set (DVC output; never committed).

# %%
errors = pd.read_csv(paths.ERROR_ANALYSIS.with_suffix(".csv"))
errors[errors["system"] == "classifier"].pivot_table(
    index="event_type",
    columns="cue_family",
    values=["n_false_negative", "n_false_positive"],
    aggfunc="sum",
    fill_value=0,
)

# %%
dev = pd.read_parquet(paths.DEV_SET)
proba = pd.read_parquet(paths.DEV_PREDICTIONS).set_index("doc_id").loc[dev["doc_id"]].reset_index(drop=True)
thresholds = pd.read_csv(paths.THRESHOLDS.with_suffix(".csv")).set_index("event_type")["threshold"]
rows = []
for t in EVENT_TYPES:
    predicted = proba[f"p_{t}"] >= thresholds[t]
    for kind, mask in (("missed", dev[t] & ~predicted), ("false alarm", ~dev[t] & predicted)):
        for i in dev.index[mask][:3]:
            rows.append({"event_type": t, "error": kind, "p": proba.at[i, f"p_{t}"], "text": dev.at[i, "text"][:160]})
pd.DataFrame(rows)

# %% [markdown]
# ## What the model relies on
#
# The n-grams (and rule votes) with the largest weights per type.

# %%
top = pd.read_csv(paths.TOP_FEATURES.with_suffix(".csv"))
top[top["rank"] <= 8].pivot(index="rank", columns="event_type", values="feature")
