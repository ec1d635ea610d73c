"""Study of conflict reporting: corpus, event-type classifier and reporting analyses.

``from analysis import classify_texts`` classifies text in memory (a notebook, a loop over
small batches; :func:`analysis.model.new_text.classify_texts`). It is imported on first
use, so ``import analysis`` stays light.
"""

__version__ = "0.1.0"

__all__ = ["classify_texts"]


def __getattr__(name: str):
    """Import ``classify_texts`` on first use (PEP 562)."""
    if name == "classify_texts":
        from analysis.model.new_text import classify_texts

        return classify_texts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
