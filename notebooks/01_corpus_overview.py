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
# # Corpus overview
#
# What the pipeline made of the three sources: documents, reports and the fate of every
# input row. Everything here is read from pipeline outputs (`dvc repro` first); nothing
# is recomputed.

# %%
import pandas as pd
from IPython.display import Image, Markdown, display

from analysis import paths

documents = pd.read_parquet(paths.DOCUMENTS)
reports = pd.read_parquet(paths.REPORTS)
ledger = pd.read_parquet(paths.LEDGER)

# %% [markdown]
# ## The corpus at a glance
#
# One row per collection. FA-KES documents are articles; UCDP documents are events whose
# text is their source headlines. `n_sealed` documents are reserved for external evaluation.

# %%
display(Markdown(paths.CORPUS_SUMMARY.with_suffix(".md").read_text()))

# %% [markdown]
# ## Where every input row went
#
# Rows in = kept + merged + dropped for each file; the reasons are the cleaning rules'
# codes (see the README).

# %%
display(Markdown(paths.LEDGER_SUMMARY.with_suffix(".md").read_text()))

# %% [markdown]
# ## Reporting volume over time
#
# Reports per month by collection (log scale). FA-KES is a thin, uneven sample of
# articles; the UCDP collections follow the events they code.

# %%
display(Image(filename=str(paths.FIG_VOLUME_MONTHLY.with_suffix(".png"))))

# %% [markdown]
# ## A look at the documents
#
# Text groups join documents with the same or nearly the same text; the largest groups are
# templated monitor headlines shared by many events.

# %%
groups = documents.groupby("text_group").agg(n_documents=("doc_id", "size"), example=("text", "first"))
groups.sort_values("n_documents", ascending=False).head(10)

# %%
reports.groupby("collection")["outlet"].value_counts().groupby(level=0).head(5).rename("n_reports").to_frame()
