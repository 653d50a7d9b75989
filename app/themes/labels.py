"""What each measure and category of the strategic themes is called, on the page and in the CSV."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.concerns.routing import GRADE_NAMES, PATHWAY_NAMES, SUBJECT_NAMES

MEASURE_NAMES: dict[str, Any] = {
    "risk_grade": _l("Risk grade (each concern's latest Safer Me Assessment in the period)"),
    "pathway": _l("Pathway (each concern's latest route decision in the period)"),
    "context_type": _l("Context type (concerns recorded in the period)"),
    "hub_enquiry_deadline": _l("Hub enquiries decided within one working day (received in the period)"),
    "mapping_meeting_deadline": _l("Mapping meetings held within 10 working days (opened in the period)"),
}
DEADLINE_NAMES: dict[str, Any] = {
    "met": _l("Deadline met"),
    "missed": _l("Deadline missed"),
    "not_due": _l("Not due yet"),
}
FEWER_THAN_5 = _l("fewer than 5")
TOTAL_WITHHELD = _l("not shown")
TOTAL = _l("Total")


def category_name(measure: str, key: str) -> str:
    """The words for one category of a measure."""
    by_measure: dict[str, dict[Any, Any]] = {
        "risk_grade": GRADE_NAMES,
        "pathway": PATHWAY_NAMES,
        "context_type": SUBJECT_NAMES,
    }
    names = by_measure.get(measure, DEADLINE_NAMES)
    return str(names.get(key, key))
