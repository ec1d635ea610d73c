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
# # Reporting bias: who reports what, how fast, and how outlets differ
#
# The study's questions, answered from the `report` stage outputs. Event types are the
# classifier's predictions for every document.

# %%
import pandas as pd
from IPython.display import Image, Markdown, display

from analysis import paths

# %% [markdown]
# ## Outlet profiles
#
# Share of each outlet group's FA-KES articles reporting each event type. The test table
# gives, per type, a chi-square test across groups with Cramér's V (effect size) and
# Holm-adjusted p-values.

# %%
display(Image(filename=str(paths.FIG_OUTLET_PROFILES.with_suffix(".png"))))
tests = pd.read_csv(paths.OUTLET_TESTS.with_suffix(".csv"))
tests.sort_values("cramers_v", ascending=False)

# %% [markdown]
# ## Credibility
#
# Event-type profile of FA-KES articles labelled credible versus not (articles whose merged
# copies disagree have no label and are left out).

# %%
display(Image(filename=str(paths.FIG_CREDIBILITY_PROFILE.with_suffix(".png"))))
pd.read_csv(paths.CREDIBILITY_TESTS.with_suffix(".csv")).sort_values("p_value")

# %% [markdown]
# ## Reporting lag
#
# Days from the UCDP event date to each source report's publication, by outlet and by
# predicted event type. Negative lags are reports dated before the event: kept, counted.

# %%
display(Image(filename=str(paths.FIG_REPORTING_LAG.with_suffix(".png"))))
display(Markdown(paths.LAG_BY_OUTLET.with_suffix(".md").read_text()))
display(Markdown(paths.LAG_BY_TYPE.with_suffix(".md").read_text()))

# %% [markdown]
# ## Selection: sources against fatalities
#
# Deadlier events draw more sources; the slope differs by event type.

# %%
display(Image(filename=str(paths.FIG_SELECTION.with_suffix(".png"))))
sel = pd.read_csv(paths.SELECTION_BY_TYPE.with_suffix(".csv"))
sel.groupby("event_type")[["spearman_rho", "spearman_p"]].first()

# %% [markdown]
# ## Dynamics
#
# Weekly shares of events by type: the battle of Mosul in Iraq (2016-2017) and Syria.

# %%
display(Image(filename=str(paths.FIG_DYNAMICS.with_suffix(".png"))))
