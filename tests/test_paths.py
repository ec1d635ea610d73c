"""analysis/paths.py and dvc.yaml must name the same data files."""

from pathlib import Path

import yaml

from analysis import paths
from analysis.params import load_params

PIPELINES = (paths.DVC_YAML, paths.CHECKS_DVC_YAML, paths.BENCHMARK_DVC_YAML, paths.OWN_STUDY_DVC_YAML)


def _root_relative(path: str, pipeline: Path) -> str:
    # the checks and the yardstick are DVC repositories of their own: their paths are relative to
    # their folder, and the project's files are reached through ../. A project of its own
    # (own_study/) moves data/ with it (ANALYSIS_PROJECT): its data/ is the study's, relocated.
    if pipeline == paths.OWN_STUDY_DVC_YAML and path.startswith("data/"):
        return path
    return (pipeline.parent / path).resolve().relative_to(paths.ROOT).as_posix()


def _all_stages() -> dict:
    # the four pipelines: the study's, the checks', the yardstick's and own_study's, every path root-relative
    stages = {}
    for pipeline in PIPELINES:
        for name, stage in yaml.safe_load(pipeline.read_text())["stages"].items():
            for key in ("deps", "outs", "metrics", "plots"):
                stage[key] = [
                    _root_relative(entry if isinstance(entry, str) else next(iter(entry)), pipeline)
                    for entry in stage.get(key, [])
                ]
            stages[f"{paths.relative(pipeline)}:{name}"] = stage
    return stages


def _dvc_data_paths() -> set[str]:
    stages = _all_stages()
    found = set()
    for stage in stages.values():
        for key in ("deps", "outs", "metrics", "plots"):
            for entry in stage.get(key, []):
                name = entry if isinstance(entry, str) else next(iter(entry))
                if name.startswith(("data/", "results/", "checks/data/", "benchmarks/data/")):
                    found.add(name)
    return found


def _module_data_paths() -> set[str]:
    found = set()
    for name in dir(paths):
        value = getattr(paths, name)
        if not isinstance(value, Path) or not {paths.DATA, paths.RESULTS, paths.CHECKS, paths.BENCHMARK_DATA} & set(
            value.parents
        ):
            continue
        if value.suffix:  # a file
            found.add(paths.relative(value))
        elif name.isupper() and value.parent.name in ("tables", "figures"):  # a stem
            ext = (".csv", ".md", ".tex") if value.parent.name == "tables" else (".pdf", ".png")
            found.update(paths.relative(value.with_suffix(e)) for e in ext)
    return found


def test_every_dvc_data_path_is_defined_in_paths_module():
    raw = {paths.relative(paths.raw_file(c.file)) for c in load_params("acquire").collections}
    raw.add(paths.relative(paths.BENCHMARK_RAW))
    raw.add(paths.relative(paths.OOD_RAW))  # a folder of <task>/<split>.tsv, one per ood task
    raw.add(paths.relative(paths.RAW))  # own_study/: every collection's file, whatever the researcher lists
    missing = _dvc_data_paths() - _module_data_paths() - raw
    assert not missing, f"dvc.yaml names paths that analysis/paths.py does not: {sorted(missing)}"


def test_every_paths_module_file_is_produced_by_the_pipeline():
    # the manifest records the git revision, so it is written after `dvc repro`, not by a stage
    orphans = _module_data_paths() - _dvc_data_paths() - {paths.relative(paths.MANIFEST)}
    assert not orphans, f"analysis/paths.py names files no dvc.yaml stage uses: {sorted(orphans)}"


def test_every_stage_lists_the_library_modules_it_imports():
    """An edit to any module a stage imports must re-run that stage, and only those: `make dvc-yaml` writes them."""
    from analysis import dvc_deps

    assert dvc_deps.stale() == {}, "dvc.yaml code deps differ from the imports: run `make dvc-yaml`"


def test_dvc_deps_rewrite_keeps_data_deps_and_finds_a_missing_module():
    # a stage that lost a module from its list is stale, and the rewrite puts it back, data deps kept
    from analysis import dvc_deps

    text = paths.DVC_YAML.read_text()
    expected = dvc_deps.expected_deps(paths.DVC_YAML)
    broken = text.replace("    - analysis/model/persist.py\n", "", 1)
    assert broken != text
    assert dvc_deps.rewritten(broken, expected) == text


def test_every_stage_names_only_attributes_its_modules_have():
    # a stage is thin wiring: a function renamed or moved in the library must fail here, not an
    # hour into `dvc repro benchmarks/dvc.yaml`; a name rebound inside the stage must not shadow a module
    import ast
    import importlib

    for path in sorted((paths.ROOT / "analysis" / "stages").glob("*.py")):
        tree = ast.parse(path.read_text())
        modules = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analysis"):
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    try:
                        modules[alias.asname or alias.name] = importlib.import_module(target)
                    except ModuleNotFoundError:
                        pass  # a function or class, not a module
        assigned = {
            t.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Assign)
            for target in n.targets
            for t in ast.walk(target)
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
                assert node.value.id not in assigned, f"{path.name}: {node.value.id} is both a module and a variable"
                assert hasattr(modules[node.value.id], node.attr), (
                    f"{path.name}: {node.value.id}.{node.attr} does not exist"
                )
