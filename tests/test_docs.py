"""The README and docs/: short, linked, and every quoted number, table and figure generated."""

import re

import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.corpus import summary
from analysis.errors import DataError
from analysis.io import to_markdown
from analysis.publish import docs

README = paths.ROOT / "README.md"


def test_readme_reads_in_ten_minutes():
    assert len(README.read_text().splitlines()) <= 250


def test_readme_dag_names_every_stage_of_the_pipeline():
    stages = set(yaml.safe_load(paths.DVC_YAML.read_text())["stages"])
    dag = re.search(r"```mermaid\n(.*?)```", README.read_text(), re.DOTALL).group(1)
    assert stages == set(re.findall(r"[a-z_]+", dag)) - {"flowchart", "LR"}


def test_every_relative_link_resolves():
    for doc in docs.documents():
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", doc.read_text()):
            assert (doc.parent / target).exists(), f"{doc.name}: broken link {target}"


def test_numbers_and_cells_are_refreshed_and_stale_ones_named(tmp_path, monkeypatch):
    # a table of the checks pipeline and a number of the report stage, both quoted in prose
    table = tmp_path / "refit_on_dev.csv"
    pd.DataFrame({"event_type": ["siege", "macro"], "f1_difference": [0.01, -0.0123]}).to_csv(table, index=False)
    monkeypatch.setattr(docs, "TABLE_DIRS", (tmp_path,))
    text = "gain <!-- n:refit_on_dev[macro].f1_difference|+.3f -->0<!-- /n --> of <!-- n:n_documents -->1<!-- /n -->"
    new, stale = docs.refresh(text, numbers={"n_documents": 20409})
    assert (
        new
        == "gain <!-- n:refit_on_dev[macro].f1_difference|+.3f -->-0.012<!-- /n --> of <!-- n:n_documents -->20,409<!-- /n -->"
    )
    assert stale == ["n:refit_on_dev[macro].f1_difference|+.3f", "n:n_documents"]
    assert docs.refresh(new, numbers={"n_documents": 20409}) == (new, [])


def test_an_absent_optional_output_leaves_the_text_and_a_study_one_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(docs, "TABLE_DIRS", (tmp_path,))
    quoted = "<!-- n:refit_on_dev[macro].f1_difference -->0.001<!-- /n -->"  # the checks pipeline has not run here
    assert docs.refresh(quoted, numbers={}) == (quoted, [])
    with pytest.raises(DataError, match="table 'corpus_summary' has no pipeline output"):
        docs.refresh("<!-- n:corpus_summary[all].n_documents -->0<!-- /n -->", numbers={})
    with pytest.raises(DataError, match="number 'n_unknown' is not in"):
        docs.refresh("<!-- n:n_unknown -->0<!-- /n -->", numbers={})


@pytest.mark.slow
def test_the_corpus_tables_in_the_docs_are_the_pipelines(corpus_tables):
    documents, reports, ledger = corpus_tables
    text = (paths.ROOT / "docs" / "data.md").read_text(encoding="utf-8")

    def block(name: str) -> str:
        return re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.DOTALL).group(1)

    assert block("corpus_summary") == to_markdown(summary.corpus_summary(documents, reports))
    assert block("ledger_summary") == to_markdown(summary.ledger_summary(ledger))


def test_every_output_of_the_pipelines_ci_does_not_run_is_optional_in_the_docs():
    # CI runs only the study's dvc.yaml: a doc block quoting a checks or yardstick table must
    # not fail there because that table was never made
    for pipeline in (paths.CHECKS_DVC_YAML, paths.BENCHMARK_DVC_YAML):
        stages = yaml.safe_load(pipeline.read_text())["stages"]
        for stage in stages.values():
            for out in stage.get("outs", []):
                out = out if isinstance(out, str) else next(iter(out))
                stem = out.rsplit("/", 1)[-1].split(".")[0]
                if out.endswith((".md", ".png")):
                    assert stem in docs.OPTIONAL, f"{pipeline.name}: {out} is not in docs.OPTIONAL"
