"""One item in each of the draft's lists the API writes (app.api.list_views), for the security tables."""

from __future__ import annotations

from sqlmodel import Session

from app.actors import Actor
from app.api.etags import etag_of
from app.api.list_views import API_LISTS
from app.drafting import operations
from app.drafting.inputs import LISTS, ListKey

# A valid body for each list, as the API (and the page's form) takes it.
SAMPLES: dict[ListKey, dict[str, object]] = {
    ListKey.ACTIONS: {"who": "Sam", "action": "visit weekly", "aim": "keep in touch", "success": "Jordan at home"},
    ListKey.CONTACTS: {"name": "Aunt Dee", "phone": "07700 900456"},
    ListKey.PARENTAL_RESPONSIBILITY: {"name": "Lisa", "relationship": "Mum"},
    ListKey.COMMITMENTS: {"who": "Lisa", "kind": "ensure", "commitment": "Jordan is home by nine"},
    ListKey.AGENCY_ACTIONS: {
        "agency": "school",
        "kind": "increase_safety",
        "action": "check in",
        "due_on": "2026-12-14",
    },
    ListKey.NETWORK: {"name": "Coach Marcus", "safety": "safe"},
    ListKey.PLACES: {"name": "the library", "safety": "safe"},
}


def one_in_each_list(db: Session, actor: Actor, child_id: int) -> dict[str, tuple[int, str]]:
    """(id, ETag) of a new item in each list of the child's draft, by the list's path segment."""
    made = {}
    for api_list in API_LISTS:
        item = LISTS[api_list.key].input.parse(SAMPLES[api_list.key])
        row = operations.add_item(session=db, actor=actor, child_id=child_id, key=api_list.key, item=item)
        made[api_list.segment] = (row.id or 0, etag_of(row))
    db.commit()
    return made
