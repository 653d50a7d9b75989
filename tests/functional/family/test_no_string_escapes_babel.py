"""Issue 15: no word a family member reads escapes Babel (so every word can be translated).

A pseudo-language catalog wraps every string of translations/messages.pot in brackets; an app
built on it (its own translations directory, the suite's database) serves the family pages, which
are walked from the plan by following their links, as the young person, a parent and a trusted
adult. Every text a reader meets — text on the page, labels, alt text, the words handed to the
scripts — must be inside brackets, unless it is what people wrote (names, plan content) or the
app's neutral name. A string that skips `_()` shows up unbracketed.
"""

from __future__ import annotations

import dataclasses
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.dates import get_day_names, get_month_names
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from sqlmodel import Session

from app import SaferPlan, create_app
from app.auth.models import AccountKind
from app.config import PROJECT_ROOT
from app.languages import FAMILY_LANGUAGES
from app.plans.inputs import ContactInput
from app.plans.models import Moment
from tests.factories import commitments, plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient, make_client
from tests.support.signin import sign_in_as

# Fullwidth brackets: nothing the app or its data writes uses them.
OPEN, CLOSE = "\uff3b", "\uff3d"
# Attributes whose words a reader meets (or a script shows them).
WORDY_ATTRIBUTES = re.compile(
    r"^(aria-label|title|placeholder|alt|data-[a-z-]*(words|label|failed|unsupported|working|updated|waiting))$"
)
# Links not to follow: they sign out, leave, or would end the walk.
NOT_FOLLOWED = re.compile(r"^/(exit|sign-out|reading/|lock|locked|static/)")
MAX_PAGES = 60


def _pseudo_catalog(directory: Path) -> None:
    """Every msgid of the template, wrapped: the English words stay readable in a failure message."""
    with (PROJECT_ROOT / "translations" / "messages.pot").open("rb") as source:
        template = read_po(source)
    catalog = Catalog(locale="en")
    for message in template:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wrapped = tuple(f"{OPEN}{text}{CLOSE}" for text in ids)
        catalog.add(message.id, wrapped if isinstance(message.id, tuple) else wrapped[0], flags=message.flags)
    target = directory / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as po:
        write_po(po, catalog)


class _Reader(HTMLParser):
    """Collects what a reader meets (text and wordy attributes, outside scripts) and same-site links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "svg", "template"):
            self._skip += 1
        for name, value in attrs:
            if value and WORDY_ATTRIBUTES.match(name):
                self.texts.append(value)
            if tag == "a" and name == "href" and value and value.startswith("/"):
                self.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.texts.append(data)


def _escaped(page: str, allowed: set[str]) -> list[str]:
    """The words on `page` that are neither inside brackets nor what people wrote."""
    reader = _Reader()
    reader.feed(page)
    # Text is joined in page order, so a translated sentence with markup inside it (split into
    # several text nodes) closes its bracket; brackets nest when a translated word fills another's
    # placeholder, so the innermost go first.
    rest = "\n".join(html.unescape(text) for text in reader.texts)
    bracketed = re.compile(rf"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while bracketed.search(rest):
        rest = bracketed.sub(" ", rest)
    for words in sorted(allowed, key=len, reverse=True):
        rest = rest.replace(words, " ")
    return [line.strip() for line in rest.splitlines() if re.search(r"[A-Za-z]{2,}", line)]


def _walk(client: CsrfClient, starts: list[str], allowed: set[str]) -> tuple[int, dict[str, list[str]]]:
    seen: set[str] = set()
    queue, problems, read = list(starts), {}, 0
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        location = urlsplit(response.headers.get("Location", ""))
        if response.status_code in (301, 302, 303) and not location.netloc:
            queue.append(location.path)  # e.g. "/" takes a young person to their plan
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        read += 1
        page = response.get_data(as_text=True)
        escaped = _escaped(page, allowed)
        if escaped:
            problems[path] = escaped
        reader = _Reader()
        reader.feed(page)
        for link in reader.links:
            target = urlsplit(link)
            if not NOT_FOLLOWED.match(target.path) and target.path not in seen:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return read, problems


@pytest.fixture
def pseudo_app(application: SaferPlan, tmp_path: Path) -> SaferPlan:
    _pseudo_catalog(tmp_path)
    settings = dataclasses.replace(application.settings, translations_dir=tmp_path)
    return create_app(settings, application.database)


@pytest.fixture
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    return plans.agreed_plan(
        db,
        case.child,
        plans.statement("text Mum when I leave school", own_words_of=case.young_person),
        plans.statement("call 999 if I'm scared or hurt", moment=Moment.EMERGENCY),
        ContactInput(name="Aunt Dee", relationship="Aunt", phone="07700 900456"),
        commitments.commitment_input(case.parent, "a weekly plan for evenings with Jordan"),
        by=case.worker,
    )


def test_the_pseudo_language_is_served(pseudo_app: SaferPlan) -> None:
    page = make_client(pseudo_app.family).get("/sign-in").get_data(as_text=True)
    assert f"{OPEN}Quick exit{CLOSE}" in html.unescape(page)


def test_the_check_finds_a_word_outside_babel() -> None:
    page = f"<p>{OPEN}Call 999{CLOSE}</p><p>Jordan</p><button aria-label='Close'>x</button>"
    assert _escaped(page, {"Jordan"}) == ["Close"]
    nested = f"<p>{OPEN}2 new things in <b>{OPEN}Every day{CLOSE}</b>{CLOSE}</p>"
    assert _escaped(nested, set()) == []


def _names(case: Case) -> set[str]:
    """Every word of every name in the case (names are never translated)."""
    people = (case.young_person, case.parent, case.trusted_adult, case.worker)
    whole = [case.child.first_name, case.child.last_name, case.child.preferred_name]
    whole += [person.display_name for person in people]
    return {word for name in whole for word in re.findall(r"[\w'\u2019-]+", name)}


@pytest.mark.parametrize("who", ["young_person", "parent", "trusted_adult"])
def test_no_family_page_shows_a_word_outside_babel(
    pseudo_app: SaferPlan, db: Session, case: Case, jordans_plan: plans.AgreedPlan, who: str
) -> None:
    client = make_client(pseudo_app.family)
    member_id = getattr(case, f"{who}_id")
    sign_in_as(client, session=db, account_kind=AccountKind.FAMILY, account_id=member_id)
    # What people wrote, and names: these are never translated.
    allowed = {
        pseudo_app.settings.neutral_app_name,
        "text Mum when I leave school",
        "call 999 if I'm scared or hurt",
        "Aunt Dee",
        "Aunt",
        "Mum",  # relationships are typed by the worker who invites each person
        "a weekly plan for evenings with Jordan",
        *_names(case),
        *FAMILY_LANGUAGES.values(),  # each language named in itself, on purpose
        # Day and month names in dates: Babel formats them in the reader's locale (CLDR's words).
        *get_day_names("wide", locale="en").values(),
        *get_month_names("wide", locale="en").values(),
    }
    # The plan, and the page the service worker shows without signal (no link leads there).
    pages, problems = _walk(client, ["/", "/offline"], allowed)
    assert pages >= (6 if who == "young_person" else 3), f"the walk only reached {pages} pages"
    assert not problems, "\n".join(f"{path}: {texts}" for path, texts in problems.items())
