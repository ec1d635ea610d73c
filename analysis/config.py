"""Typed configuration: a YAML mapping becomes a frozen dataclass, or a one-line error.

:mod:`analysis.params` declares one dataclass per section of ``params.yaml``; this module
turns the YAML into them. Unknown keys, missing keys and values of the wrong type are
rejected with a :class:`~analysis.errors.ParamsError` naming the key, so a typo in
``dvc exp run -S`` fails loudly instead of being ignored. A field with a default may be
left out.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import ParamsError


def check(condition: bool, key: str, message: str) -> None:
    """Raise ``ParamsError("params.yaml: <key>: <message>")`` unless ``condition`` holds."""
    if not condition:
        raise ParamsError(f"params.yaml: {key}: {message}")


def read_yaml(path: Path) -> dict[str, Any]:
    """Read the raw mapping of a parameters file.

    Raises
    ------
    ParamsError
        If the file is missing, is not YAML, or does not hold a mapping of sections.
    """
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise ParamsError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ParamsError(f"{path}: {where}not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: expected a mapping of sections")
    return data


def build(cls: type, mapping: Any, prefix: str) -> Any:
    """Turn ``mapping`` into the dataclass ``cls``, recursing into nested dataclasses and containers."""
    check(isinstance(mapping, dict), prefix, f"expected a mapping, got {type(mapping).__name__}")
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    unknown = sorted(set(mapping) - set(names))
    check(not unknown, prefix, f"unknown key(s) {unknown}")
    required = [f.name for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    missing = [n for n in required if n not in mapping]
    check(not missing, prefix, f"missing key(s) {missing}")
    kwargs = {n: _convert(mapping[n], hints[n], f"{prefix}.{n}") for n in names if n in mapping}
    return cls(**kwargs)


def _convert(value: Any, annotation: Any, key: str) -> Any:
    """Turn a YAML value into ``annotation``."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if dataclasses.is_dataclass(annotation):
        return build(annotation, value, key)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _convert(value, inner[0], key)
    if origin is tuple:
        check(isinstance(value, list), key, "expected a list")
        return tuple(_convert(v, args[0], f"{key}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        check(isinstance(value, dict), key, "expected a mapping")
        return {k: _convert(v, args[1], f"{key}.{k}") for k, v in value.items()}
    if annotation is float:
        check(isinstance(value, int | float) and not isinstance(value, bool), key, f"expected a number, got {value!r}")
        return float(value)
    if annotation is int:
        check(isinstance(value, int) and not isinstance(value, bool), key, f"expected an integer, got {value!r}")
        return value
    if annotation is str:
        check(isinstance(value, str), key, f"expected text, got {value!r}")
        return value
    if annotation is bool:
        check(isinstance(value, bool), key, f"expected true or false, got {value!r}")
        return value
    return value
