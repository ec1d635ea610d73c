"""What every stage entry point shares: logging set-up and one-line errors with a way back."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from analysis.errors import EXPECTED_ERRORS

#: DVC removes a stage's outputs before running it, so a failed stage leaves none: say how to get them back.
RESTORE_HINT = (
    "hint: DVC removed this stage's outputs before it ran; after fixing the cause, `dvc repro` rebuilds them, "
    "or `git checkout params.yaml dvc.lock && dvc checkout` restores the last good ones"
)


def run(main: Callable[[], None]) -> None:
    """Run a stage's ``main`` with INFO logging; expected failures exit 1 with one ``error:`` line and the hint."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        main()
    except EXPECTED_ERRORS as exc:
        sys.stderr.write(f"error: {exc}\n{RESTORE_HINT}\n")
        raise SystemExit(1) from None
