"""Issue 11's worked example on the real server: Sam makes a read-and-change token on his page, writes a
statement of Jordan's draft through the API, sees it on "Write the plan", changes it with If-Match, is
told 412 (with the words saved now) on a stale ETag, and takes it out again (the draft ends as it began).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import date, timedelta

from playwright.sync_api import expect

from e2e.api_tokens_page import ApiTokensPage
from e2e.drafting_pages import WritePlanPage
from e2e.pages import PractitionerDesk
from e2e.server import LiveServer

EVERY_DAY = "The young person: every day"


def _call(
    live_server: LiveServer, method: str, path: str, token: str, body: object = None, if_match: str = ""
) -> tuple[int, dict[str, str], object]:
    """One API call as a case system's script makes it: (status, headers, JSON body or None)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if if_match:
        headers["If-Match"] = if_match
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - our own server on localhost
        f"{live_server.origin}/api/v1{path}", data=data, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            raw = answer.read()
            return answer.status, dict(answer.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), json.loads(refused.read())


def test_sam_writes_a_statement_through_the_api_and_a_stale_etag_is_412(
    practitioner: PractitionerDesk, live_server: LiveServer, jordan_id: int
) -> None:
    tokens = ApiTokensPage(practitioner.page)
    tokens.open_from_the_top_bar()
    tokens.make_a_token("Mosaic writes", may_change=True, stops_on=(date.today() + timedelta(days=7)).isoformat())
    raw = tokens.new_token
    statements = f"/children/{jordan_id}/plan/draft/statements"

    words = "walk home from football with Aunt Dee (through the API)"
    status, headers, made = _call(
        live_server, "POST", statements, raw, {"moment": "everyday", "kind": "can", "text": words}
    )
    assert status == 201 and isinstance(made, dict), made
    item = f"{statements}/{made['id']}"
    assert headers["Location"].endswith(f"/api/v1{item}")
    first = headers["ETag"]

    plan = WritePlanPage(practitioner.page)
    plan.open_for(jordan_id)
    expect(plan.section(EVERY_DAY)).to_contain_text(words)

    changed = "walk home from football with Aunt Dee or Coach Marcus"
    body = {"moment": "everyday", "kind": "will", "text": changed}
    status, headers, _saved = _call(live_server, "PUT", item, raw, body, if_match=first)
    assert status == 200
    second = headers["ETag"]
    assert second != first
    # The same change again from the first ETag: refused, shown what is saved now, nothing overwritten.
    status, headers, refused = _call(live_server, "PUT", item, raw, {**body, "text": "stale words"}, if_match=first)
    assert status == 412 and headers["Content-Type"].startswith("application/problem+json")
    assert isinstance(refused, dict) and refused["current"]["text"] == changed and headers["ETag"] == second
    status, _headers, _refused = _call(live_server, "PUT", item, raw, body)
    assert status == 428

    plan.open_for(jordan_id)
    expect(plan.section(EVERY_DAY)).to_contain_text(changed)
    expect(plan.section(EVERY_DAY)).not_to_contain_text("stale words")

    status, _headers, _gone = _call(live_server, "DELETE", item, raw, if_match=second)
    assert status == 204
    plan.open_for(jordan_id)
    expect(plan.section(EVERY_DAY)).not_to_contain_text(changed)
    tokens.open_from_the_top_bar()
    tokens.revoke("Mosaic writes")
