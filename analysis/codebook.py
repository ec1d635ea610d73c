"""The event-type label set: the single source of truth for names, order and definitions.

Version 1 of the project codebook (``docs/codebook.md``). Every stage, table and
test takes the label set from :data:`EVENT_TYPES`, and a type's properties from
:data:`CODEBOOK`.
"""

from __future__ import annotations

from dataclasses import dataclass

CODEBOOK_VERSION = 1


@dataclass(frozen=True)
class EventType:
    """One type of the codebook and its properties.

    Attributes
    ----------
    name : str
        The label, snake_case.
    definition : str
        One line, as annotators and ``docs/codebook.md`` read it.
    military : bool
        An act of armed force: news from outside any conflict must never get it (the
        out-of-domain negatives and false-alarm checks). Civilian harm and negotiation are
        reported outside war too, so they are not.
    """

    name: str
    definition: str
    military: bool


#: Event types in codebook order, with a one-line definition each.
DEFINITIONS: dict[str, str] = {
    "advance": "an armed actor gains ground: captures, retakes, storms, enters or pushes forward",
    "retreat": "an armed actor loses or gives up ground: withdraws, is driven out, evacuated as fighters",
    "siege": "a place, force or population is encircled, besieged, blockaded or cut off",
    "defection": "members of a force, group or government defect, desert, switch sides or break away",
    "surrender": "fighters or units surrender, lay down arms, hand themselves in or settle their status",
    "clash": "direct armed engagement on the ground: fighting, battles, clashes, sniper fire, ambushes",
    "airstrike": "strikes from the air: warplanes, drones, helicopters, barrel bombs",
    "shelling": "fire from ground-based weapons: artillery, mortars, rockets, ground-launched missiles",
    "bombing": "explosive attacks not fired from weapons: suicide attacks, car bombs, IEDs, landmines",
    "civilian_harm": "civilians killed, wounded, abducted, executed, starved or displaced; massacres",
    "negotiation": "talks, truces, ceasefires, agreements or deals between parties, held, reached or in force",
    "chemical": "use of chemical weapons or toxic gas, alleged or confirmed",
}
#: The types that are no act of armed force (:attr:`EventType.military` is False for them).
NOT_MILITARY = frozenset({"civilian_harm", "negotiation"})
#: The codebook, in its order: every stage, table, figure and test takes the types from here.
CODEBOOK: tuple[EventType, ...] = tuple(
    EventType(name, definition, military=name not in NOT_MILITARY) for name, definition in DEFINITIONS.items()
)
EVENT_TYPES: tuple[str, ...] = tuple(t.name for t in CODEBOOK)
#: The types that are acts of armed force (:attr:`EventType.military`).
MILITARY_TYPES: tuple[str, ...] = tuple(t.name for t in CODEBOOK if t.military)
#: Figures with one panel per type place them in codebook order, in rows of this many.
PANEL_COLUMNS = 4


def panel_grid(n_types: int = len(CODEBOOK)) -> tuple[int, int]:
    """Return the rows and columns of a figure with one panel per type (:data:`PANEL_COLUMNS` a row).

    >>> panel_grid(12), panel_grid(13), panel_grid(3)
    ((3, 4), (4, 4), (1, 3))
    """
    columns = min(PANEL_COLUMNS, n_types)
    return -(-n_types // columns), columns


def parse_labels(value: object, *, where: str = "") -> frozenset[str]:
    """Parse a ``;``-joined label string into a set, rejecting names outside the codebook.

    >>> sorted(parse_labels("siege;advance"))
    ['advance', 'siege']
    >>> parse_labels("")
    frozenset()
    """
    if value is None or (isinstance(value, float) and value != value):
        return frozenset()
    labels = frozenset(x.strip() for x in str(value).split(";") if x.strip())
    unknown = sorted(labels - set(EVENT_TYPES))
    if unknown:
        raise ValueError(f"{where}unknown event type(s) {unknown}; the codebook has {list(EVENT_TYPES)}")
    return labels


def format_labels(labels: frozenset[str] | set[str]) -> str:
    """Join labels with ``;`` in codebook order.

    >>> format_labels({"siege", "advance"})
    'advance;siege'
    """
    return ";".join(t for t in EVENT_TYPES if t in labels)
