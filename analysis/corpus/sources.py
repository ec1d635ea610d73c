"""Pinned source files: copy from a local mirror or download, verify, then rename.

A file is only ever moved into ``data/raw/`` after its sha256 matches the pin in
``params.yaml``. Downloads go to a temporary name first, so a failed or
corrupted transfer leaves nothing behind.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

from tqdm.auto import tqdm

from analysis import paths
from analysis.errors import AcquireError
from analysis.io import atomic_path, sha256_file
from analysis.params import SourceSpec

log = logging.getLogger(__name__)

#: Environment variable naming a local mirror of the public data files
#: (a folder laid out like ``../shared/data``: ``corpus/...``, ``benchmarks/...``).
MIRROR_ENV = "ANALYSIS_DATA_MIRROR"

_CHUNK = 1 << 16


def mirror_dir() -> Path | None:
    """Return the mirror folder named by ``$ANALYSIS_DATA_MIRROR``, or ``None`` when unset."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_dir():
        raise AcquireError(f"{MIRROR_ENV}={value}: not a directory")
    return path


def _verify(tmp: Path, spec: SourceSpec, origin: str) -> None:
    actual = sha256_file(tmp)
    if actual != spec.sha256:
        raise AcquireError(f"{spec.name}: sha256 mismatch from {origin}: expected {spec.sha256}, got {actual}")


def _download_once(spec: SourceSpec, tmp: Path, *, timeout_s: float) -> None:
    request = urllib.request.Request(spec.url, headers={"User-Agent": "analysis-acquire"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 (pinned URL)
        expected = response.headers.get("Content-Length")
        total = int(expected) if expected is not None else None
        received = 0
        with (
            open(tmp, "wb") as out,
            tqdm(total=total, unit="B", unit_scale=True, desc=spec.name, leave=False, disable=None) as bar,
        ):
            while block := response.read(_CHUNK):
                out.write(block)
                received += len(block)
                bar.update(len(block))
    if total is not None and received != total:
        raise AcquireError(f"{spec.name}: connection dropped after {received} of {total} bytes")


def download(spec: SourceSpec, tmp: Path, *, retries: int, timeout_s: float, backoff_s: float = 1.0) -> None:
    """Download ``spec.url`` into ``tmp`` and verify it, retrying transfer failures.

    Raises
    ------
    AcquireError
        After ``retries`` failed attempts, naming the file, the URL and the last problem;
        for a checksum mismatch, naming both hashes.
    """
    last = ""
    for attempt in range(1, retries + 1):
        try:
            _download_once(spec, tmp, timeout_s=timeout_s)
            _verify(tmp, spec, spec.url)
            return
        except (urllib.error.URLError, OSError, AcquireError, ValueError) as exc:
            if isinstance(exc, urllib.error.HTTPError):
                last = f"HTTP {exc.code} {exc.reason}"
            elif isinstance(exc, urllib.error.URLError):
                last = str(exc.reason)
            else:
                last = str(exc)
            log.warning("%s: attempt %d/%d failed: %s", spec.name, attempt, retries, last)
            if attempt < retries:
                time.sleep(backoff_s * attempt)
    if last.startswith(f"{spec.name}: sha256 mismatch"):
        raise AcquireError(last)
    raise AcquireError(f"{spec.name}: download from {spec.url} failed after {retries} attempt(s): {last}")


def acquire(
    spec: SourceSpec,
    dest_dir: Path,
    *,
    mirror: Path | None,
    retries: int,
    timeout_s: float,
    backoff_s: float = 1.0,
) -> Path:
    """Bring one pinned file into ``dest_dir``: from its local path, the mirror or its URL, verified.

    Parameters
    ----------
    spec : SourceSpec
        The file's name, URL, sha256 and path inside a mirror.
    dest_dir : Path
        Folder the verified file is renamed into.
    mirror : Path or None
        Root of a local mirror; ``None`` downloads from ``spec.url``. A ``spec.path`` (a
        local file of the researcher's) wins over both.
    retries, timeout_s, backoff_s
        Download attempts, per-request timeout and the pause between attempts.

    Returns
    -------
    Path
        The verified file, ``dest_dir / spec.name``.

    Raises
    ------
    AcquireError
        Missing local or mirror file, failed download or checksum mismatch; nothing is left behind.
    """
    dest = Path(dest_dir) / spec.name
    if dest.exists() and sha256_file(dest) == spec.sha256:
        log.info("%s: already present and verified", spec.name)
        return dest
    with atomic_path(dest) as tmp:
        if spec.path is not None or (mirror is not None and spec.mirror_path is not None):
            local = spec.path is not None
            source = _local_file(spec.path) if local else Path(mirror) / spec.mirror_path
            if not source.is_file():
                where = "at its path" if local else "in mirror at"
                raise AcquireError(f"{spec.name}: not found {where} {source} (expected sha256 {spec.sha256})")
            shutil.copyfile(source, tmp)
            _verify(tmp, spec, str(source))
            log.info("%s: copied from %s", spec.name, source)
        elif spec.url is not None:
            download(spec, tmp, retries=retries, timeout_s=timeout_s, backoff_s=backoff_s)
            log.info("%s: downloaded from %s", spec.name, spec.url)
        else:
            raise AcquireError(f"{spec.name}: no url, and no mirror copy (set {MIRROR_ENV})")
    return dest


def _local_file(path: str) -> Path:
    """Resolve a collection's local ``path``: absolute, or relative to the project root."""
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else paths.PROJECT / candidate
