"""What every part of the walk knows of a document: may a fitting step use it, what text does a model read.

Sealed documents (``sealed``: the hash rule of ``analysis/corpus``) and every document that
shares a text group with one (``sealed_group``) are reserved for external evaluation: no
fitting step, annotation sample or threshold may use them, and the gold sample's frame (the
population of the PPI++ shares) leaves them out. :func:`eligible` is that filter, in one place
for the labels, the model and the study. The study's descriptive tables and event-level models
read every document (``docs/study.md``).
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

#: The document columns that decide eligibility.
ELIGIBILITY_COLUMNS = ("sealed", "sealed_group")


def is_eligible(documents: pd.DataFrame) -> pd.Series:
    """Return, per document, whether fitting and sampling may use it: not sealed, not in a sealed text group."""
    return ~documents["sealed"] & ~documents["sealed_group"]


def eligible(documents: pd.DataFrame) -> pd.DataFrame:
    """Return the documents any fitting step, sample or estimate may use (:func:`is_eligible`)."""
    return documents[is_eligible(documents)]


def model_input(frame: pd.DataFrame, *, article: pd.Series) -> pd.Series:
    """Return the text the classifier reads: title and text for articles, the text alone otherwise.

    An event's title is its first headline, already in its text, so it is not repeated.

    Parameters
    ----------
    frame : DataFrame
        ``title`` (optional) and ``text``.
    article : Series of bool
        Per row, whether it is an article: a document of an ``articles`` collection
        (``frame["collection"].isin(acquire.of_kind("articles"))``), or, for new text,
        one given a title.

    Returns
    -------
    Series
        One text per row, index of ``frame``.
    """
    title = frame["title"].fillna("") if "title" in frame else pd.Series("", index=frame.index)
    return (title + " \n " + frame["text"]).where(article.to_numpy(dtype=bool), frame["text"])


def document_input(documents: pd.DataFrame, *, articles: Collection[str]) -> pd.Series:
    """Return the classifier's input for corpus documents: :func:`model_input`, articles told by their kind."""
    return model_input(documents, article=documents["collection"].isin(set(articles)))
