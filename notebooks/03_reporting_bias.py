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
# # Reporting: who reports what, how fast, and how outlets differ
#
# The study's questions, in the order of `docs/study.md`, read from the `report` stage's
# outputs. Event types are the classifier's predictions. Every share comes twice: naive
# (predictions taken as true) and the design's estimate, which counts every gold label and
# corrects the rest with a random gold sample (PPI++), with an interval that allows for the
# classifier's errors (docs/methods.md, "The sampling design").

# %%
import json

import pandas as pd
from IPython.display import Image, Markdown, display

from analysis import paths

numbers = json.loads(paths.NUMBERS_JSON.read_text())


def show(stem):
    """Display a figure of the report stage."""
    display(Image(filename=str(stem.with_suffix(".png"))))


def table(stem):
    """Display a table of the report stage (its Markdown version)."""
    display(Markdown(stem.with_suffix(".md").read_text()))


# %% [markdown]
# ## 1. What does each collection report?
#
# Naive share, then the design's estimate with its 95% interval and its method (`exact`:
# every document's text has a gold label; `ppi++`; `gold`: the sample alone; `bounds`);
# `n_gold` counts the gold text groups. Where the naive share sits outside the interval,
# predicted labels alone would mislead. How each gold stratum was drawn: `gold_design`.

# %%
table(paths.SHARES_SUMMARY)
shares = pd.read_csv(paths.TYPE_SHARES.with_suffix(".csv"))
shares.assign(bias=shares["share"] - shares["share_est"]).sort_values("bias").head(5)

# %% [markdown]
# ## 2. How do outlets differ? (FA-KES)

# %%
show(paths.FIG_OUTLET_PROFILES)
tests = pd.read_csv(paths.OUTLET_TESTS.with_suffix(".csv"))
tests[["event_type", "p_value_holm", "cramers_v", "test_est", "p_value_est_holm"]]

# %% [markdown]
# ## 3. Do credible and non-credible articles report different events?

# %%
show(paths.FIG_CREDIBILITY_PROFILE)
show(paths.FIG_COEF_CREDIBILITY)

# %% [markdown]
# ## 4. How soon is a reported event first reported?
#
# Days from the UCDP event to each source report, by outlet; then a discrete-time hazard of the
# day of the first report, with ratios for day 0 and after it (above 1: sooner).

# %%
show(paths.FIG_REPORTING_LAG)
show(paths.FIG_COEF_FIRST_REPORT)
table(paths.LAG_BY_TYPE)

# %% [markdown]
# ## 5. How many sources does an event draw?
#
# Mean sources by fatality band, per type read in the first report and country; then Poisson
# pseudo-ML of the reports beyond the first, on UCDP's coding and on the first report's types
# (corrected on the first-report gold round); then the instrument against UCDP's coders.

# %%
show(paths.FIG_SELECTION)
show(paths.FIG_COEF_SOURCES)
pd.read_csv(paths.MODEL_FIT.with_suffix(".csv"))

# %%
show(paths.FIG_CONVERGENT_VALIDITY)
table(paths.CONVERGENT_VALIDITY)

# %% [markdown]
# ## 6. How does reporting change over time?

# %%
show(paths.FIG_DYNAMICS)
table(paths.WORD_CHECKS)

# %% [markdown]
# ## The instrument's error in the models
#
# The models take predicted types as covariates. Refitted on the random gold events with
# gold types and with cross-fitted predicted types, the type coefficients move by this much:

# %%
table(paths.MEASUREMENT_ERROR)
show(paths.FIG_CLASSIFIER_PERFORMANCE)
