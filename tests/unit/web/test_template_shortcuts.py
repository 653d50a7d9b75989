"""The templates' dates and addresses, kept once worked out (app.web.dates, app.web.kept_urls), say
exactly what Flask-Babel and Flask would have said."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import format_date

from app import SaferPlan
from app.web.dates import dateformat
from app.web.kept_urls import KeptUrlFor

DAYS = [date(2026, 12, 1), date(2027, 2, 28), date(2024, 2, 29)]
PATTERNS = ["d MMMM yyyy", "EEEE d MMMM", "d MMM"]


@pytest.mark.parametrize("language", ["en", "ar", "sq", "vi"])
def test_a_date_says_what_flask_babel_says_in_each_language(application: SaferPlan, language: str) -> None:
    door = application.family
    with door.test_request_context("/", headers={"Accept-Language": language}):
        for day in DAYS:
            for pattern in PATTERNS:
                expected = format_date(day, pattern)
                assert dateformat(day, pattern) == expected
                assert dateformat(day, pattern) == expected  # and again, from what was kept
        if language != "en":
            assert dateformat(DAYS[0], "d MMMM yyyy") != "1 December 2026"  # the language was followed


def test_the_template_filter_is_the_kept_one(application: SaferPlan) -> None:
    door = application.family
    with door.test_request_context("/", headers={"Accept-Language": "en"}):
        page = door.jinja_env.from_string('{{ day | dateformat("EEEE d MMMM") }}')
        assert page.render(day=date(2026, 12, 1)) == "Tuesday 1 December"


def test_a_moment_is_still_moved_into_the_readers_time_zone(application: SaferPlan) -> None:
    """A datetime is not a plain date: Flask-Babel moves it to Europe/London first (BST here)."""
    late_evening = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    door = application.family
    with door.test_request_context("/", headers={"Accept-Language": "en"}):
        assert dateformat(late_evening, "d MMMM yyyy") == "2 July 2026"
        assert dateformat(late_evening, "d MMMM yyyy") == format_date(late_evening, "d MMMM yyyy")


def test_a_named_format_still_follows_flask_babel(application: SaferPlan) -> None:
    door = application.family
    with door.test_request_context("/", headers={"Accept-Language": "en"}):
        for name in ("short", "medium", "long", "full"):
            assert dateformat(DAYS[0], name) == format_date(DAYS[0], name)


def test_a_static_address_is_flasks_own_with_its_content_hash(application: SaferPlan) -> None:
    door = application.family
    template_url_for = door.jinja_env.globals["url_for"]
    with door.test_request_context("/"):
        address = template_url_for("static", filename="js/app.js")
        assert address == door.url_for("static", filename="js/app.js")
        assert address.startswith("/static/js/app.js?v=")
        assert template_url_for("static", filename="js/app.js") == address


def test_a_static_address_follows_where_the_door_is_mounted(application: SaferPlan) -> None:
    door = application.family
    template_url_for = door.jinja_env.globals["url_for"]
    with door.test_request_context("/"):
        at_root = template_url_for("static", filename="js/app.js")
    with door.test_request_context("/", base_url="http://localhost/council/plans/"):
        mounted = template_url_for("static", filename="js/app.js")
    assert mounted == "/council/plans" + at_root


def test_other_addresses_are_built_as_flask_builds_them(application: SaferPlan) -> None:
    door = application.family
    template_url_for = door.jinja_env.globals["url_for"]
    with door.test_request_context("/"):
        assert template_url_for("family.plan", child_id=7) == door.url_for("family.plan", child_id=7) == "/c/7"
        external = template_url_for("static", filename="js/app.js", _external=True)
        assert external.startswith("http://localhost/static/js/app.js?v=")


def test_a_page_address_is_flasks_own_and_kept(application: SaferPlan) -> None:
    door = application.family
    template_url_for = door.jinja_env.globals["url_for"]
    assert isinstance(template_url_for, KeptUrlFor)
    with door.test_request_context("/"):
        asked = {"child_id": 7, "add": "place", "_anchor": "add-place-heading"}
        address = template_url_for("family.plan", **asked)
        assert address == door.url_for("family.plan", **asked) == "/c/7?add=place#add-place-heading"
        assert address in template_url_for.kept.values()
        assert template_url_for("family.plan", **asked) == address  # and again, from what was kept
        assert template_url_for("family.plan", child_id=8) == "/c/8"  # another child, another address


def test_a_page_address_follows_where_the_door_is_mounted(application: SaferPlan) -> None:
    door = application.family
    template_url_for = door.jinja_env.globals["url_for"]
    with door.test_request_context("/"):
        at_root = template_url_for("family.plan", child_id=7)
    with door.test_request_context("/", base_url="http://localhost/council/plans/"):
        mounted = template_url_for("family.plan", child_id=7)
    assert (at_root, mounted) == ("/c/7", "/council/plans/c/7")


def test_equal_values_of_another_type_are_not_mixed_up(application: SaferPlan) -> None:
    """True == 1 as a key, but Flask writes them differently: each keeps its own address."""
    door = application.family
    template_url_for = door.jinja_env.globals["url_for"]
    with door.test_request_context("/"):
        as_number = template_url_for("family.plan", child_id=7, back=1)
        as_flag = template_url_for("family.plan", child_id=7, back=True)
        assert as_number == door.url_for("family.plan", child_id=7, back=1) == "/c/7?back=1"
        assert as_flag == door.url_for("family.plan", child_id=7, back=True) == "/c/7?back=True"


def test_an_address_that_depends_on_more_is_built_by_flask_each_time(application: SaferPlan) -> None:
    """In full (it names the host), relative to the blueprint, or with values that are no key."""
    door = application.family
    template_url_for = door.jinja_env.globals["url_for"]
    with door.test_request_context("/", base_url="http://phone.example/"):
        template_url_for.kept.clear()
        assert template_url_for("family.plan", child_id=7, _external=True) == "http://phone.example/c/7"
        assert template_url_for("family.plan", child_id=7, add=["idea", "place"]) == "/c/7?add=idea&add=place"
        assert template_url_for.kept == {}
    with door.test_request_context("/", base_url="http://laptop.example/"):
        assert template_url_for("family.plan", child_id=7, _external=True) == "http://laptop.example/c/7"


def test_the_kept_addresses_are_bounded(application: SaferPlan) -> None:
    door = application.family
    small = KeptUrlFor(door, limit=3)
    with door.test_request_context("/"):
        for child_id in range(1, 11):
            assert small("family.plan", child_id=child_id) == f"/c/{child_id}"
            assert len(small.kept) <= 3
        assert small("family.plan", child_id=10) == "/c/10"
