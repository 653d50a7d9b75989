"""Installable, offline by choice, locked after inactivity (R14-R18), and sent compressed."""

from __future__ import annotations

import gzip
import json
import re
import struct

import brotli
import pytest
from flask import Flask
from sqlmodel import Session, select

from app import SaferPlan
from app.auth.models import SignInSession
from app.auth.tokens import token_hash
from app.config import PROJECT_ROOT
from app.web.static_compression import compressed
from tests.factories import plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient, make_client
from tests.support.passkey_flows import invite, join
from tests.support.soft_authenticator import SoftAuthenticator

# Words that must never appear in what a phone's launcher, task switcher or lock screen shows (R18).
TOPIC_WORDS = re.compile(r"safe|exploit|plan|risk|harm|abuse|police|social", re.IGNORECASE)


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's agreed plan (what a phone would keep offline; a page big enough to compress)."""
    return plans.agreed_plan(db, case.child, plans.statement("text Mum when I leave school"), by=case.worker)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# --- The manifest and icons (R18) -----------------------------------------------------------------


def test_r18_manifest_is_public_neutral_and_installable(family_client: CsrfClient) -> None:
    response = family_client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == manifest["short_name"] == "Daybook"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "en" and manifest["dir"] == "ltr"
    assert "Accept-Language" in response.headers["Vary"]
    assert not TOPIC_WORDS.search(json.dumps({k: v for k, v in manifest.items() if k != "icons"}))
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert re.fullmatch(r"/static/icons/[a-z]+-\d+\.png\?v=[0-9a-f]{12}", icon["src"]), icon["src"]
        image = family_client.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        side = int(icon["sizes"].split("x")[0])
        assert _png_size(image.get_data()) == (side, side)
        image.close()


def test_r18_manifest_answers_304_when_unchanged(family_client: CsrfClient) -> None:
    first = family_client.get("/manifest.webmanifest")
    again = family_client.get("/manifest.webmanifest", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_family_pages_link_the_manifest_and_a_neutral_icon(family_client: CsrfClient) -> None:
    page = family_client.get("/sign-in").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert re.search(r'<link rel="icon" type="image/png" sizes="192x192" href="/static/icons/icon-192.png\?v=', page)


# --- The service worker and the offline copy (R17) ------------------------------------------------


def test_service_worker_is_served_from_the_root_and_revalidated(family_client: CsrfClient) -> None:
    response = family_client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "worker-src 'self'" in csp
    body = response.get_data(as_text=True)
    config = json.loads(re.search(r"^const DAYBOOK = (\{.*\});$", body, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert config["cache"] == "daybook-offline"
    assert config["offline"] == "/offline" and config["signIn"] == "/sign-in"
    assert all(re.fullmatch(r"/static/\S+\?v=[0-9a-f]{12}", url) for url in config["assets"])
    assert config["csp"] == csp
    assert "clients.claim()" in body
    # The worker's own words are about a message not being sent, nothing about the service.
    assert "NOT sent" in config["words"]["heading"]
    # A copy not refreshed for two weeks deletes itself (e2e: test_offline.py), and says so.
    assert config["keepDays"] == 14 and "14 days" in config["words"]["staleText"]
    assert "css/easy_read.css" in " ".join(config["assets"])
    again = family_client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_r17_offline_copy_control_is_off_and_hidden_until_javascript_shows_it(
    as_young_person: CsrfClient, case: Case
) -> None:
    page = as_young_person.get(f"/c/{case.child.id}").get_data(as_text=True)
    control = re.search(r"<section[^>]*data-offline-control[^>]*>.*?</section>", page, re.DOTALL)
    assert control, "the plan page has no offline-copy control"
    assert " hidden " in control.group(0)
    assert re.search(r'<input type="checkbox" id="offline-copy"[^>]*>', control.group(0))
    assert "checked" not in control.group(0)
    assert "Keep a copy on this phone so it opens without signal" in control.group(0)
    urls = json.loads(re.search(r'data-keep-urls="([^"]+)"', control.group(0)).group(1).replace("&#34;", '"'))  # type: ignore[union-attr]
    assert urls == ["/", f"/c/{case.child.id}", "/offline"]


def test_r17_a_parent_gets_no_offline_copy_control(as_parent: CsrfClient, case: Case) -> None:
    page = as_parent.get(f"/c/{case.child.id}").get_data(as_text=True)
    assert "data-offline-control" not in page


def test_r17_signed_out_pages_tell_the_scripts_to_wipe(family_client: CsrfClient, as_young_person: CsrfClient) -> None:
    assert 'data-signed-in="false"' in family_client.get("/sign-in").get_data(as_text=True)
    assert 'data-signed-in="true"' in as_young_person.get("/").get_data(as_text=True)


def test_r16_r17_sign_out_and_quick_exit_clear_site_data(as_young_person: CsrfClient) -> None:
    response = as_young_person.post("/sign-out")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'


def test_offline_page_is_for_signed_in_people_only(family_client: CsrfClient, as_young_person: CsrfClient) -> None:
    assert family_client.get("/offline").status_code == 302
    page = as_young_person.get("/offline")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "No signal right now" in page.get_data(as_text=True)


# --- Compression and caching ------------------------------------------------------------------------


def test_pages_are_sent_compressed_with_every_security_header(as_young_person: CsrfClient) -> None:
    response = as_young_person.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    # The browser never keeps the plan (R17); its tag serves the offline copy's If-None-Match.
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert b"<!doctype html>" in gzip.decompress(response.get_data())
    brotli = as_young_person.get("/", headers={"Accept-Encoding": "br, gzip"})
    assert brotli.headers["Content-Encoding"] == "br"
    # One weak tag whichever encoding the bytes went in, so a 304 answers either.
    assert brotli.headers["ETag"] == response.headers["ETag"]
    assert brotli.headers["ETag"].startswith('W/"')


def test_pages_that_do_not_revalidate_carry_no_tag(as_young_person: CsrfClient) -> None:
    """Every personal page is no-store; only pages that name all they are made from carry an ETag."""
    links = as_young_person.get("/").get_data(as_text=True)
    sharing = re.search(r'href="(/c/[0-9]+/sharing)"', links)
    assert sharing, "the plan page links to its sharing page"
    page = as_young_person.get(sharing.group(1))
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "ETag" not in page.headers


def test_versioned_static_files_are_cached_for_a_year(family_client: CsrfClient) -> None:
    page = family_client.get("/sign-in").get_data(as_text=True)
    css = re.search(r'href="(/static/css/base\.css\?v=[0-9a-f]{12})"', page)
    assert css, "static URLs carry a content hash"
    versioned = family_client.get(css.group(1), headers={"Accept-Encoding": "br"})
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Never revalidated, so none of what revalidation needs; the same for everyone, so no Vary on
    # htmx (the cookie's Vary is Flask's, for the session it opened); the security headers stay (R15).
    for needless in ("Last-Modified", "Expires", "Content-Disposition", "Accept-Ranges"):
        assert needless not in versioned.headers
    assert "HX-Request" not in versioned.headers["Vary"] and "Accept-Encoding" in versioned.headers["Vary"]
    assert "frame-ancestors 'none'" in versioned.headers["Content-Security-Policy"]
    versioned.close()
    # An unversioned or stale URL is still served, but only for a day.
    for url in ("/static/css/base.css", "/static/css/base.css?v=000000000000"):
        plain = family_client.get(url)
        assert plain.headers["Cache-Control"] == "public, max-age=86400"
        assert "Last-Modified" in plain.headers  # a day's copy is revalidated, so it keeps what that needs
        plain.close()


def test_static_files_are_compressed_once_at_the_best_level_and_then_served_from_memory(
    family_client: CsrfClient,
) -> None:
    """Issue 13: a static file is the same bytes every time, so it is not compressed per request."""
    compressed.cache_clear()
    url = "/static/vendor/htmx-2.0.11.min.js"
    original = (PROJECT_ROOT / "app" / "static" / "vendor" / "htmx-2.0.11.min.js").read_bytes()
    first = family_client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert first.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in first.headers["Vary"]
    body = first.get_data()
    assert brotli.decompress(body) == original
    assert len(body) < len(original) / 3
    assert int(first.headers["Content-Length"]) == len(body)
    again = family_client.get(url, headers={"Accept-Encoding": "br"})
    assert again.get_data() == body
    assert compressed.cache_info().hits >= 1 and compressed.cache_info().misses == 1
    # Asked again with its ETag: nothing to send.
    unchanged = family_client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304
    # gzip for a browser without brotli; nothing for one that takes neither.
    gzipped = family_client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(gzipped.get_data()) == original
    plain = family_client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.get_data() == original
    plain.close()


def test_r14_practitioner_pages_stay_no_store_when_compressed(as_worker: CsrfClient) -> None:
    response = as_worker.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


# --- Lock after inactivity -------------------------------------------------------------------------


def _session_record(db: Session, client: CsrfClient) -> SignInSession:
    with client.session_transaction() as cookie:
        raw = cookie["_user_id"]
    record = db.exec(select(SignInSession).where(SignInSession.token_hash == token_hash(raw))).one()
    db.refresh(record)
    return record


def test_a_locked_session_serves_only_the_lock_screen(as_young_person: CsrfClient, case: Case, db: Session) -> None:
    page = as_young_person.get("/").get_data(as_text=True)
    assert 'data-lock-after="300"' in page
    locked = as_young_person.post("/lock", headers={"Accept": "application/json"})
    assert locked.get_json() == {"redirect": "/locked"}
    assert _session_record(db, as_young_person).locked_at is not None
    for path in ("/", f"/c/{case.child.id}", f"/c/{case.child.id}/sharing", "/offline"):
        response = as_young_person.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/locked", path
    htmx = as_young_person.get("/", headers={"HX-Request": "true"})
    assert htmx.status_code == 423
    assert as_young_person.post(f"/c/{case.child.id}/sharing", data={}).status_code == 423
    screen = as_young_person.get("/locked")
    assert screen.status_code == 200
    text = screen.get_data(as_text=True)
    assert "Daybook is locked" in text and "Jordan" not in text and "data-lock-after" not in text
    # Leaving still works while locked.
    assert as_young_person.get("/exit").status_code == 303


def test_locked_screen_sends_unlocked_people_home(as_young_person: CsrfClient) -> None:
    response = as_young_person.get("/locked")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_lock_after_can_be_shortened_only_in_tests(as_young_person: CsrfClient) -> None:
    assert 'data-lock-after="2"' in as_young_person.get("/?lock_after=2").get_data(as_text=True)
    assert 'data-lock-after="300"' in as_young_person.get("/?lock_after=100000").get_data(as_text=True)


def test_unlock_needs_this_persons_passkey(
    as_worker: CsrfClient, case: Case, db: Session, application: SaferPlan
) -> None:
    family: Flask = application.family
    origin = application.settings.public_origin
    jordan = make_client(family)
    phone = SoftAuthenticator(origin)
    assert join(jordan, invite(as_worker, case.child.id or 0), phone).status_code == 200
    # Someone else's phone, with a passkey for another family member.
    mum = make_client(family)
    mums_phone = SoftAuthenticator(origin)
    token = invite(as_worker, case.child.id or 0, role="parent_carer", display_name="Lisa", relationship="Mum")
    assert join(mum, token, mums_phone).status_code == 200

    jordan.post("/lock")
    assert jordan.get("/").headers["Location"] == "/locked"
    options = jordan.post("/unlock/options").get_json()
    assert len(options["allowCredentials"]) == 1  # only Jordan's own passkey may unlock
    # Mum's phone signs the challenge with her (valid, registered) passkey: refused.
    wrong = jordan.post("/unlock/verify", json=mums_phone.get({**options, "allowCredentials": []}))
    assert wrong.status_code == 400
    assert jordan.get("/").headers["Location"] == "/locked"

    options = jordan.post("/unlock/options").get_json()
    right = jordan.post("/unlock/verify", json=phone.get(options))
    assert right.status_code == 200 and right.get_json() == {"redirect": "/"}
    assert jordan.get("/").status_code == 200


def test_unlock_refuses_anonymous_callers(family_client: CsrfClient) -> None:
    assert family_client.post("/unlock/options").status_code == 401
    assert family_client.post("/unlock/verify", json={}).status_code == 401
    assert family_client.post("/lock").status_code in (302, 401)
