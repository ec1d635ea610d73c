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
    scripted = {paths.SCALE_TABLE.name, paths.ONNX_TIMING.name}  # written by benchmarks/bench_{scale,onnx}.py
    # committed records of dev experiments (dvc exp run), frozen by date rather than rebuilt
    scripted |= {p.stem for p in paths.CHECK_RECORDS.glob("*.md")}
    assert "write_table(paths.SCALE_TABLE" in (paths.ROOT / "benchmarks" / "bench_scale.py").read_text()
    assert "OUT = paths.ONNX_TIMING" in (paths.ROOT / "benchmarks" / "bench_onnx.py").read_text()
    for name in re.findall(r"<!-- ([a-z0-9_]+):start -->", text):
        assert f"tables/{name}.md" in dvc or name in scripted, name


def _units(spec: dict):
    """Every single-view (unit) spec of a Vega-Lite spec, with the encoding it inherits."""
    inherited = spec.get("encoding", {})
    if "layer" not in spec:
        yield spec, inherited
        return
    for layer in spec["layer"]:
        for unit, encoding in _units(layer):
            yield unit, {**inherited, **encoding}


def test_evaluate_plots_draw_one_line_per_event_type():
    import json
    from pathlib import Path

    from dvc_render import VegaRenderer

    templates_dir = paths.ROOT / ".dvc" / "plots"  # where DVC looks a `template:` name up
    plots = yaml.safe_load(paths.DVC_YAML.read_text())["stages"]["evaluate"]["plots"]
    props = {name: p for plot in plots for name, p in plot.items()}
    assert {Path(name).name for name in props} == {"calibration_dev.csv", "pr_curve_dev.csv"}
    for name, plot in props.items():
        for key in ("x", "y", "title", "x_label", "y_label"):
            assert plot.get(key), (name, key)
        template_file = templates_dir / f"{plot['template']}.json"
        assert template_file.is_file(), (name, plot["template"])
        spec = json.loads(template_file.read_text())
        units = list(_units(spec))
        lines = [
            (u, enc)
            for u, enc in units
            if (u["mark"] if isinstance(u["mark"], str) else u["mark"]["type"]) == "line"
            and enc.get("color", {}).get("field") == "event_type"
        ]
        assert lines, f"{template_file.name}: no line coloured by event_type"
        # points joined per event type in file order, not re-sorted by x across types
        assert all(enc.get("order", {}).get("field") for _, enc in lines), template_file.name
        params = [p for u, _ in units for p in u.get("params", [])] + spec.get("params", [])
        assert any(p.get("bind") == "legend" and p["select"]["fields"] == ["event_type"] for p in params)
        rendered = json.dumps(
            VegaRenderer(
                [{"event_type": "clash", plot["x"]: "0.5", plot["y"]: "0.4", "rev": "workspace"}],
                name,
                **plot,
                template_dir=str(templates_dir),
            ).get_filled_template()
        )
        assert "<DVC_METRIC" not in rendered and plot["title"] in rendered and plot["x_label"] in rendered
        if Path(name).name == "calibration_dev.csv":  # pooled curve kept apart, diagonal drawn
            assert "datum.event_type === 'all'" in template_file.read_text()
            assert any(u["mark"]["type"] == "rule" for u, _ in units if isinstance(u["mark"], dict))


def test_make_lab_opens_py_notebooks_as_notebooks(tmp_path):
    """`make lab` points Jupyter at .jupyter/, whose lab defaults open .py files with jupytext's notebook."""
    import json

    from jupytext_config.labconfig import LabConfig

    settings = paths.ROOT / ".jupyter" / "labconfig" / "default_setting_overrides.json"
    ours = json.loads(settings.read_text())
    # what jupytext's own `jupytext-config set-default-viewer python` writes, with this jupytext
    expected = LabConfig(settings_file=tmp_path / "overrides.json").set_default_viewers(["python"]).config
    plugin = "@jupyterlab/docmanager-extension:plugin"
    assert ours[plugin]["defaultViewers"]["python"] == expected[plugin]["defaultViewers"]["python"]
    recipe = re.search(r"^lab: repro\b.*\n((?:\t.*\n)+)", (paths.ROOT / "Makefile").read_text(), re.M)
    assert recipe, "Makefile: no `lab: repro` target"
    assert 'JUPYTER_CONFIG_PATH="$(CURDIR)/.jupyter' in recipe[1] and "jupyter lab notebooks/" in recipe[1]


def test_notebook_headers_carry_language_info():
    """Without language_info, the kernel's reply sets it on opening and JupyterLab marks the notebook changed."""
    import jupytext

    for path in sorted((paths.ROOT / "notebooks").glob("*.py")):
        metadata = jupytext.read(path).metadata
        assert metadata.get("language_info", {}).get("name") == "python", path.name
        assert "language_info" in metadata["jupytext"].get("notebook_metadata_filter", ""), path.name
