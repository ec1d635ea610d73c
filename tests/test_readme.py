"""The README's corpus tables are the pipeline's own output, not typed by hand."""

import re

import pytest

from analysis import paths, tables
from analysis.io import to_markdown

pytestmark = pytest.mark.slow


def _block(name: str) -> str:
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.DOTALL)
    assert match, f"README has no {name} block"
    return match.group(1)


def test_readme_corpus_summary_matches_pipeline(corpus_tables):
    documents, reports, _ = corpus_tables
    assert _block("corpus_summary") == to_markdown(tables.corpus_summary(documents, reports))


def test_readme_ledger_summary_matches_pipeline(corpus_tables):
    _, _, ledger = corpus_tables
    assert _block("ledger_summary") == to_markdown(tables.ledger_summary(ledger))
