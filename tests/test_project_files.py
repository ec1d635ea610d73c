"""Project metadata that users and citation tools read."""

import re

import yaml

from analysis import paths


def test_citation_cff_has_the_required_fields():
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "license"):
        assert cff.get(key), key
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    titles = [r["title"] for r in cff.get("references", [])]
    assert any("FA-KES" in t for t in titles) and any("UCDP" in t for t in titles)


def test_plots_template_loads_vega_locally():
    template = (paths.ROOT / "docs" / "plots_template.html").read_text()
    assert "{plot_divs}" in template and not re.search(r"<script src=\"https?:", template)
    assert "../docs/plots_template.html" in (paths.ROOT / ".dvc" / "config").read_text()


def test_docs_figures_and_tables_are_named_in_a_pipeline():
    import re

    from analysis.publish.docs import documents

    text = "".join(d.read_text() for d in documents())
    dvc = "".join(p.read_text() for p in (paths.DVC_YAML, paths.CHECKS_DVC_YAML, paths.BENCHMARK_DVC_YAML))
    for name in re.findall(r"figures/([a-z0-9_]+)\.png", text):
        assert f"figures/{name}.png" in dvc, name
    scripted = {paths.SCALE_TABLE.name}  # written by benchmarks/bench_scale.py, not by a stage
    # committed records of dev experiments (dvc exp run), frozen by date rather than rebuilt
    scripted |= {p.stem for p in paths.CHECK_RECORDS.glob("*.md")}
    assert "write_table(paths.SCALE_TABLE" in (paths.ROOT / "benchmarks" / "bench_scale.py").read_text()
    for name in re.findall(r"<!-- ([a-z0-9_]+):start -->", text):
        assert f"tables/{name}.md" in dvc or name in scripted, name
