"""``manifest.json``: what produced the reporting outputs, so a cited figure can be traced back.

Written after ``dvc repro`` (``make repro`` does it) rather than by a stage, because it
records the git revision, which changes with every commit and would otherwise change
``dvc.lock`` without any change to the results.
"""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess

import yaml

from analysis import paths
from analysis.io import write_json

PACKAGES = (
    "pandas",
    "numpy",
    "pyarrow",
    "scikit-learn",
    "scipy",
    "matplotlib",
    "dvc",
    "skops",
    "datasketch",
    "ftfy",
    "py3langid",
)


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def build_manifest() -> dict:
    """Collect git revision, the hash of every existing output of the study's stages, params and package versions."""
    lock = (
        yaml.safe_load(paths.DVC_YAML.with_name("dvc.lock").read_text())
        if paths.DVC_YAML.with_name("dvc.lock").exists()
        else {}
    )
    stages = yaml.safe_load(paths.DVC_YAML.read_text())["stages"]
    outputs = {}
    for stage, spec in (lock or {}).get("stages", {}).items():
        if stage not in stages:  # a stage removed from dvc.yaml whose lock entry lingers: its files are gone
            continue
        for out in spec.get("outs", []):
            if (paths.ROOT / out["path"]).exists():  # cite only files that exist
                outputs[out["path"]] = {"stage": stage, "md5": out.get("md5"), "size": out.get("size")}
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "git_revision": _git("rev-parse", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "python": platform.python_version(),
        "packages": versions,
        "params": yaml.safe_load(paths.PARAMS.read_text()),
        "outputs": dict(sorted(outputs.items())),
    }


def write_manifest() -> None:
    """Write :data:`analysis.paths.MANIFEST`."""
    write_json(paths.MANIFEST, build_manifest())
