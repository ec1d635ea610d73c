"""Secure, byte-deterministic model files (skops or safetensors, never pickle).

The linear and distilled families are written with skops; the encoder family (a PyTorch
network) with safetensors, its settings and thresholds in the file's metadata.
:func:`load` tells the two apart by their first bytes.

``skops.io.dumps`` names array files after ``id()`` of the objects and stamps zip
entries with the current time, so the same fitted model gives different bytes on
every run (and ``dvc repro -f`` would change ``dvc.lock``). :func:`dumps` rewrites
the archive: array files renamed in order of first reference, entries sorted,
timestamps fixed. :func:`load` refuses any type outside an explicit allowlist.

Every model file records the codebook it was trained under (:func:`save`; a ``codebook.json``
entry of the skops archive, a ``codebook`` key inside the safetensors ``analysis`` metadata), so that a model
file pinned by another project can be checked before use (:func:`codebook_of`).

Importing ``skops.io`` normally imports every scikit-learn module to list its estimators
(and, through scikit-learn's array-API shims, torch where it is installed): seconds. This
module imports it lazily and without that scan (:func:`_skops`); the allowlist here covers
every ``sklearn.`` type anyway, so what a model file may contain is unchanged.
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

from analysis import paths
from analysis.codebook import CODEBOOK_VERSION, EVENT_TYPES
from analysis.errors import DataError
from analysis.io import atomic_path

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_IDS = re.compile(r'"__id__": ([0-9]+)|"([0-9]+)\.npy"')

#: Types a model file may contain beyond skops' defaults (checked on load).
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.sparse.", "analysis.", "builtins.", "collections.")


def _skops() -> ModuleType:
    """Import and return ``skops.io`` without its scan of every scikit-learn module.

    ``skops.io`` lists scikit-learn's estimators at import (``all_estimators``, which imports
    every scikit-learn module, torch included where installed) only to trust them by default.
    The scan is replaced by an empty list while skops imports: its default trust then covers
    no scikit-learn estimator, and :func:`load` trusts them through :data:`TRUSTED_PREFIXES`
    instead, so the types accepted are the same. Saving does not use the list. Where
    ``skops.io`` was imported before (with its scan), it is used as it is.

    Returns
    -------
    module
        ``skops.io``.
    """
    if "skops.io" in sys.modules:
        return sys.modules["skops.io"]
    import sklearn.utils
    import sklearn.utils.discovery

    owners = [m for m in (sklearn.utils, sklearn.utils.discovery) if hasattr(m, "all_estimators")]
    scans = [m.all_estimators for m in owners]
    for owner in owners:
        owner.all_estimators = _no_estimators
    try:
        import skops.io
    finally:
        for owner, scan in zip(owners, scans, strict=True):
            owner.all_estimators = scan
    return skops.io


def _no_estimators(*args: Any, **kwargs: Any) -> list:
    """Stand in for ``sklearn.utils.all_estimators`` while ``skops.io`` imports (see :func:`_skops`)."""
    return []


def _type_names(data: bytes) -> set[str]:
    """Return every ``module.Class`` a skops archive's ``schema.json`` names, without building any object.

    Raises
    ------
    Exception
        For bytes that are not a zip archive with a JSON ``schema.json``.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        stack: list[Any] = [json.loads(zf.read("schema.json"))]
    names = set()
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            module, cls = node.get("__module__"), node.get("__class__")
            if isinstance(module, str) and isinstance(cls, str):
                names.add(f"{module}.{cls}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return names


#: The archive entry (skops) or metadata key (safetensors) recording the model's codebook.
CODEBOOK_ENTRY = "codebook.json"
CODEBOOK_KEY = "codebook"


def codebook_record() -> str:
    """Return the codebook a model trained now is written with: its version and types, as JSON."""
    return json.dumps({"codebook_version": CODEBOOK_VERSION, "event_types": list(EVENT_TYPES)}, sort_keys=True)


def dumps(obj: Any, *, extra: dict[str, bytes] | None = None) -> bytes:
    """Serialise ``obj`` with skops into byte-identical output for identical objects.

    ``extra`` entries (name to bytes) are written after skops' own; skops reads only those its
    schema names.
    """
    raw = zipfile.ZipFile(io.BytesIO(_skops().dumps(obj)))
    schema = raw.read("schema.json").decode("utf-8")
    # skops keys shared objects and array files by id(); renumber them in order of appearance
    ids: dict[str, int] = {}
    for match in _IDS.finditer(schema):
        ids.setdefault(match.group(1) or match.group(2), len(ids))
    arrays = {f"{old}.npy": f"{new:06d}.npy" for old, new in ids.items() if f"{old}.npy" in raw.namelist()}

    def _renumber(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return f'"__id__": {ids[match.group(1)]}'
        name = f"{match.group(2)}.npy"
        return f'"{arrays[name]}"' if name in arrays else match.group(0)

    schema = _IDS.sub(_renumber, schema)
    names = arrays
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        entries = [("schema.json", schema.encode("utf-8"))]
        entries += [(names[n], raw.read(n)) for n in sorted(names, key=names.get)]
        entries += sorted((extra or {}).items())
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out.getvalue()


def save(path: Path, obj: Any) -> None:
    """Write ``obj`` to ``path`` deterministically and atomically: safetensors if it has ``state()``, else skops."""
    if hasattr(obj, "state"):  # the encoder family: tensors and metadata
        from safetensors.torch import save as save_tensors

        tensors, metadata = obj.state()
        # one metadata key: safetensors writes several in no fixed order, and the bytes must not vary
        analysis = {**json.loads(metadata["analysis"]), CODEBOOK_KEY: json.loads(codebook_record())}
        metadata = {**metadata, "analysis": json.dumps(analysis, sort_keys=True)}
        data = save_tensors(tensors, metadata=metadata)  # tensors in name order: the bytes follow the values
    else:
        data = dumps(obj, extra={CODEBOOK_ENTRY: codebook_record().encode("utf-8")})
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(data)


def load(path: Path) -> Any:
    """Load a model file, trusting only types under :data:`TRUSTED_PREFIXES`.

    The allowlisted types the archive's schema names are passed to skops, which audits every
    object against them (and its own defaults) before building any. Where it finds a type it
    was not told to trust (one outside the allowlist, or one the schema names otherwise, such
    as a bound method), ``skops.io.get_untrusted_types`` lists the archive's types again: those
    outside the allowlist are refused, and the file loads if there are none.

    Raises
    ------
    DataError
        If the file is missing, neither a skops archive nor an encoder's safetensors file, or
        holds a type outside the allowlist.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(
            f"{path}: model file not found: `dvc checkout {paths.relative(paths.MODEL)}` restores the last good one "
            "(a failed `train` stage removes it), or `dvc repro train` builds it"
        )
    data = path.read_bytes()
    if not data.startswith(b"PK"):  # not a zip archive: perhaps the encoder family's safetensors
        from analysis.model.families import load_encoder_file

        return load_encoder_file(path, data)
    sio = _skops()
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        named = _type_names(data)
    except Exception as exc:  # zipfile and json raise several types for a bad archive
        raise DataError(f"{path}: not a skops model file: {exc}") from None
    try:
        return sio.loads(data, trusted=sorted(t for t in named if t.startswith(TRUSTED_PREFIXES)))
    except UntrustedTypesFoundException:
        pass  # a type skops names otherwise, or one outside the allowlist: list them as skops sees them
    try:
        untrusted = sio.get_untrusted_types(data=data)
    except Exception as exc:  # skops raises several types for a bad archive
        raise DataError(f"{path}: not a skops model file: {exc}") from None
    refused = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
    if refused:
        raise DataError(f"{path}: refusing to load untrusted types {refused}")
    return sio.loads(data, trusted=untrusted)


def codebook_of(path: Path) -> dict:
    """Return the codebook a model file was written under, without loading the model.

    Returns
    -------
    dict
        ``codebook_version`` (int) and ``event_types`` (list of str).

    Raises
    ------
    DataError
        If the file is neither a skops archive nor a safetensors file, or records no codebook
        (written before model files recorded theirs: re-train it with this package).
    """
    data = Path(path).read_bytes()
    try:
        if data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                record = zf.read(CODEBOOK_ENTRY) if CODEBOOK_ENTRY in zf.namelist() else None
        else:  # safetensors: 8 bytes of header length, then a JSON header
            header = json.loads(data[8 : 8 + int.from_bytes(data[:8], "little")])
            found = json.loads((header.get("__metadata__") or {}).get("analysis") or "{}").get(CODEBOOK_KEY)
            record = json.dumps(found) if found is not None else None
    except (zipfile.BadZipFile, ValueError, AttributeError) as exc:
        raise DataError(f"{path}: neither a skops nor a safetensors model file ({exc})") from None
    if record is None:
        raise DataError(f"{path}: the model file records no codebook version; re-train it with this package")
    return json.loads(record)
