"""What every stage entry point shares: logging set-up and one-line errors."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from analysis.errors import EXPECTED_ERRORS


def run(main: Callable[[], None]) -> None:
    """Run a stage's ``main`` with INFO logging; expected failures exit 1 with one line."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        main()
    except EXPECTED_ERRORS as exc:
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(1) from None
