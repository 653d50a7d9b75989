"""Small-number suppression: what may be shown of a table of counts without pointing at a child.

Every count under 5 is withheld ("fewer than 5"), zero included: a zero beside a small total says
as much as the number would. A table's total is shown only when none of its cells is withheld:
a total beside one withheld cell gives that cell away by subtraction, and beside several it still
bounds them (two withheld cells summing to 8 are both 4). Withheld counts never leave this module,
so no page or download can print one by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SMALLEST_SHOWN = 5


@dataclass(frozen=True)
class Cell:
    """One category's count, or None where it is withheld."""

    key: str
    count: int | None

    @property
    def withheld(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Table:
    """The cells of one measure, in a fixed order, and the total (None where withheld)."""

    measure: str
    cells: tuple[Cell, ...]
    total: int | None


def shown(count: int) -> int | None:
    """The count, or None when it is under 5 (primary suppression)."""
    return count if count >= SMALLEST_SHOWN else None


def table(measure: str, counts: Mapping[str, int], keys: Sequence[str]) -> Table:
    """Every key (a category with no rows counts 0), each count suppressed, the total only when safe."""
    cells = tuple(Cell(key=key, count=shown(counts.get(key, 0))) for key in keys)
    total = sum(counts.get(key, 0) for key in keys)
    # Secondary suppression: with any cell withheld, the total would give it away or bound it.
    safe = all(not cell.withheld for cell in cells)
    return Table(measure=measure, cells=cells, total=total if safe else None)
