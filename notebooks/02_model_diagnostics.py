# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Model diagnostics
#
# How the event-type classifier does on the held-out gold test split: scores against the
# baselines, thresholds, calibration, and the documents it gets wrong. Read from the
# `evaluate` and `train` stage outputs.

# %%
import pandas as pd
from IPython.display import Image, Markdown, display

from analysis import paths
from analysis.codebook import EVENT_TYPES

# %% [markdown]
# ## Scores with 95% bootstrap intervals
#
# `macro_f1_types_10plus` averages the types with at least 10 test positives; rare types
# (defection, surrender) cannot be scored reliably with this gold standard.

# %%
display(Markdown(paths.CLASSIFIER_HEADLINE.with_suffix(".md").read_text()))
display(Markdown(paths.CLASSIFIER_PER_TYPE.with_suffix(".md").read_text()))
display(Image(filename=str(paths.FIG_CLASSIFIER_PERFORMANCE.with_suffix(".png"))))

# %% [markdown]
# ## Thresholds and calibration
#
# Thresholds were tuned on the dev split; a type the classifier backs off to the rules for
# keeps 0.5 (its probability is the rules' 0/1 vote).

# %%
display(Markdown(paths.THRESHOLDS.with_suffix(".md").read_text()))
display(Image(filename=str(paths.FIG_CALIBRATION.with_suffix(".png"))))

# %% [markdown]
# ## Errors per type
#
# False negatives and false positives on the test split, with the classifier's probability.
# Texts come from the documents table (DVC output; never committed).

# %%
test = pd.read_parquet(paths.TEST_PREDICTIONS)
thresholds = pd.read_csv(paths.THRESHOLDS.with_suffix(".csv")).set_index("event_type")["threshold"]
texts = pd.read_parquet(paths.TEST_SET, columns=["doc_id", "text"]).set_index("doc_id")["text"]
rows = []
for t in EVENT_TYPES:
    predicted = test[f"p_{t}"] >= thresholds[t]
    for kind, mask in (("missed", test[t] & ~predicted), ("false alarm", ~test[t] & predicted)):
        for _, r in test[mask].head(3).iterrows():
            rows.append({"event_type": t, "error": kind, "p": r[f"p_{t}"], "text": texts[r["doc_id"]][:160]})
pd.DataFrame(rows)

# %% [markdown]
# ## What the model relies on
#
# The n-grams (and rule votes) with the largest weights per type.

# %%
top = pd.read_csv(paths.TOP_FEATURES.with_suffix(".csv"))
top[top["rank"] <= 8].pivot(index="rank", columns="event_type", values="feature")
