"""The strategic themes as CSV: counts only (no names, no ids), small numbers as "<5".

Spreadsheets run a cell that starts with =, +, -, @ or a tab as a formula ("CSV injection"):
every cell that could is written with a leading apostrophe, though ours are our own words.
"""

from __future__ import annotations

import csv
import io

from app.themes.labels import MEASURE_NAMES, TOTAL, category_name
from app.themes.queries import Themes

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WITHHELD = "<5"
TOTAL_WITHHELD = "suppressed"


def safe_cell(value: object) -> str:
    """The value as text a spreadsheet shows as text, never runs."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def themes_csv(themes: Themes) -> str:
    """One row per measure and category, then its total; the period first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["measure", "category", "count"])
    writer.writerow(["period", "from", themes.period.start.isoformat()])
    writer.writerow(["period", "to", themes.period.end.isoformat()])
    for table in themes.tables:
        measure = str(MEASURE_NAMES[table.measure])
        for cell in table.cells:
            count = WITHHELD if cell.count is None else str(cell.count)
            writer.writerow([safe_cell(measure), safe_cell(category_name(table.measure, cell.key)), count])
        total = TOTAL_WITHHELD if table.total is None else str(table.total)
        writer.writerow([safe_cell(measure), safe_cell(TOTAL), total])
    return out.getvalue()
