"""The look of every figure: one matplotlib style file, column widths, deterministic saving.

``paper.mplstyle`` styles every figure of the study and of the yardstick. :func:`save`
writes PDF and PNG without timestamps, so the same inputs give byte-identical files.
"""

from __future__ import annotations

import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis.io import atomic_path  # noqa: E402

logging.getLogger("fontTools").setLevel(logging.WARNING)  # PDF font subsetting logs every glyph at INFO

STYLE = Path(__file__).with_name("paper.mplstyle")
SINGLE, DOUBLE = 3.5, 7.0  # column widths in inches
_METADATA = {
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": "analysis", "Creator": "analysis"},
    "svg": {"Date": None, "Creator": "analysis"},
    "png": {"Software": "analysis"},
}


def save(fig: plt.Figure, stem: Path, *, formats: tuple[str, ...] = ("pdf", "png")) -> None:
    """Save ``fig`` as ``stem.<format>`` for each format, atomically and without timestamps."""
    with paper_style():  # savefig.* settings (tight bounding box, dpi) apply at save time
        for fmt in formats:
            dest = Path(stem).with_suffix(f".{fmt}")
            with atomic_path(dest) as tmp:
                fig.savefig(tmp, format=fmt, metadata=_METADATA[fmt])
    plt.close(fig)


def paper_style():
    """Return a context in which figures are drawn (and saved) in ``paper.mplstyle``."""
    return plt.style.context(str(STYLE))
