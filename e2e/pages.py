"""Page objects: what a practitioner or a young person does, in their words, not in selectors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page, Response, expect

# Jordan's social worker in the demo data (app/demo/seed.py); his password is DEMO_PASSWORD.
SAM = "sam.okafor@example.org"
# The manager of Sam's team (read-only), with the same demo password.
MORGAN = "morgan.lee@example.org"

CHILD_PAGE = re.compile(r"/practitioner/children/\d+$")
# After the password: the caseload, or the passkey step (SECURITY.md R11) where the app has it.
AFTER_PASSWORD = re.compile(r"/practitioner/(sign-in/passkey)?$")
PASSKEY_STEP = re.compile(r"/practitioner/sign-in/passkey$")


class VirtualAuthenticator:
    """Chromium's virtual passkey authenticator on one page (a phone's fingerprint reader)."""

    OPTIONS = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }

    def __init__(self, page: Page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("WebAuthn.enable")
        self.authenticator_id: str = self._attach("internal")

    def _attach(self, transport: str) -> str:
        added = self.cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {**self.OPTIONS, "transport": transport}})
        authenticator_id: str = added["authenticatorId"]
        return authenticator_id

    def _detach(self) -> None:
        self.cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": self.authenticator_id})

    @contextmanager
    def reaching_another_phone(self) -> Iterator[VirtualAuthenticator]:
        """For a while, this browser makes keys on another phone (the hybrid transport: in real life the
        browser shows a QR code and the other phone scans it) instead of on its own authenticator.

        Chromium would otherwise use its own authenticator, which refuses: it already holds a key for
        this person, and the server lists that key as one not to make again (excludeCredentials).
        Yields this object, standing for the other phone; its own keys come back afterwards.
        """
        own = self.credentials()
        self._detach()
        self.authenticator_id = self._attach("cable")
        try:
            yield self
        finally:
            self._detach()
            self.authenticator_id = self._attach("internal")
            for credential in own:
                self.add_credential(credential)

    def credentials(self) -> list[dict[str, Any]]:
        found = self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.authenticator_id})
        credentials: list[dict[str, Any]] = found["credentials"]
        return credentials

    def add_credential(self, credential: dict[str, Any]) -> None:
        self.cdp.send("WebAuthn.addCredential", {"authenticatorId": self.authenticator_id, "credential": credential})


class SyncedPasskeys:
    """One person's passkeys, following them from browser to browser as a password manager would.

    The signature counter travels too: the server refuses a counter that goes backwards (a sign
    of a cloned key), so each browser must start from the last one used.
    """

    def __init__(self) -> None:
        self.credentials: list[dict[str, Any]] = []

    def install_on(self, authenticator: VirtualAuthenticator) -> None:
        for credential in self.credentials:
            authenticator.add_credential(credential)

    def save_from(self, authenticator: VirtualAuthenticator) -> None:
        self.credentials = authenticator.credentials()


class PlanPage:
    """The plan as the family side shows it (the young person's or a parent's view)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def greeting(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    @property
    def emergency_section(self) -> Locator:
        return self.page.get_by_role("region", name="If I'm in danger")

    def choose_language(self, name: str) -> None:
        """Press a language's button (each is named in its own language: "العربية", "Shqip"...) and
        wait for the page to come back with that button marked as the current one."""
        choice = self.page.locator("details.language-choice")
        if choice.get_attribute("open") is None:
            choice.locator("summary").click()
        choice.get_by_role("button", name=name, exact=True).click()
        # The page comes back with the choice folded away again (hidden, hence include_hidden).
        current = choice.get_by_role("button", name=name, exact=True, include_hidden=True)
        expect(current).to_have_attribute("aria-current", "true")

    @property
    def everyday_section(self) -> Locator:
        return self.page.get_by_role("region", name="My plan, every day")

    @property
    def call_999(self) -> Locator:
        return self.emergency_section.get_by_role("link", name="Call 999")

    @property
    def safe_word_toggle(self) -> Locator:
        return self.page.locator("summary", has_text="Show my safe word")

    @property
    def safe_word(self) -> Locator:
        return self.page.locator(".safe-word-value")

    def show_my_safe_word(self) -> None:
        self.safe_word_toggle.click()

    # --- Co-writing: my new ideas, apart from what the meeting agreed ---

    @property
    def new_ideas(self) -> Locator:
        return self.page.get_by_role("region", name="My new ideas")

    @property
    def ideas_status(self) -> Locator:
        return self.new_ideas.get_by_role("status")

    def idea(self, text: str) -> Locator:
        """One idea in the new-ideas part, by its words."""
        return self.new_ideas.get_by_role("listitem").filter(has_text=text)

    def add_statement(self, starter: str, text: str, when: str = "Every day") -> None:
        """Write a new idea, e.g. add_statement("I will", "text my aunt"), and wait until it shows."""
        form = self.open_form("Add an idea")
        form.get_by_label("When").select_option(label=when)
        form.get_by_label("Starts with").select_option(label=f"{starter}…")
        form.get_by_label("Then in your own words").fill(text)
        form.get_by_role("button", name="Add to my ideas").click()
        expect(self.idea(text)).to_be_visible()

    def open_form(self, button: str, form_name: str | None = None) -> Locator:
        """Open one of the co-writing forms with its button (e.g. "Add a safe place"), unless it is open."""
        form = self.page.get_by_role("form", name=form_name or button)
        if not form.is_visible():
            self.new_ideas.get_by_role("link", name=button, exact=True).click()
        expect(form).to_be_visible()
        return form

    def open_change(self, text: str) -> Locator:
        """Press "Change" on one of my ideas; returns its edit form."""
        self.idea(text).get_by_role("link", name=re.compile(r"^Change\b")).click()
        form = self.new_ideas.locator("form.idea-form")
        expect(form).to_be_visible()
        return form

    def change_statement(self, text: str, new_text: str) -> None:
        """Change one of my ideas to new words and save."""
        form = self.open_change(text)
        form.get_by_label("Then in your own words").fill(new_text)
        form.get_by_role("button", name="Save").click()
        expect(self.idea(new_text)).to_be_visible()

    # --- Co-writing: safe places and people to call (listed among the new ideas, like ideas) ---

    @property
    def add_place_form(self) -> Locator:
        return self.page.get_by_role("form", name="Add a place where you feel safe")

    @property
    def add_person_form(self) -> Locator:
        return self.page.get_by_role("form", name="Add someone you would call")

    def add_safe_place(self, place: str, notes: str = "") -> None:
        """Add a place where I feel safe, e.g. add_safe_place("the library"), and wait until it shows."""
        form = self.open_form("Add a safe place", "Add a place where you feel safe")
        form.get_by_label("Place", exact=True).fill(place)
        form.get_by_label("Anything to add (optional)").fill(notes)
        form.get_by_role("button", name="Add this place").click()
        expect(self.idea(place)).to_be_visible()

    def try_to_add_person_to_call(self, name: str, phone: str, who_they_are: str = "") -> None:
        """Fill in and send the "someone you would call" form, without expecting it to be accepted."""
        form = self.open_form("Add someone to call", "Add someone you would call")
        form.get_by_label("Name", exact=True).fill(name)
        form.get_by_label("Phone number").fill(phone)
        form.get_by_label("Who they are to you (optional)").fill(who_they_are)
        form.get_by_role("button", name="Add this person").click()

    def ask_to_take_out(self, words: str) -> Locator:
        """Press "Take out" on a new idea, place or person to call; returns the "are you sure?" form."""
        self.idea(words).get_by_role("link", name=re.compile(r"^Take out\b")).click()
        confirm = self.idea(words).locator("form.confirm")
        expect(confirm).to_be_visible()
        return confirm

    def take_out(self, words: str) -> None:
        """Take out a new idea, place or person to call (saying yes when asked), and wait until it has gone."""
        self.ask_to_take_out(words).get_by_role("button", name="Yes, take it out").click()
        expect(self.idea(words)).to_have_count(0)

    # --- What's new since I last looked ---

    @property
    def whats_new(self) -> Locator:
        return self.page.get_by_role("region", name="New since you last looked")

    def say_got_it(self) -> None:
        """Put the "what's new" card away and wait until it has gone."""
        self.whats_new.get_by_role("button", name="Got it").click()
        expect(self.whats_new).to_have_count(0)

    @property
    def read_aloud_button(self) -> Locator:
        return self.page.get_by_role("button", name=re.compile(r"^(Read my plan aloud|Stop reading)$"))


class CarerPage:
    """A parent's or carer's page: their commitments, each with Done / Undo and a comment."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def my_commitments(self) -> Locator:
        return self.page.get_by_role("region", name="What I said I would do")

    @property
    def status(self) -> Locator:
        return self.my_commitments.get_by_role("status")

    def commitment(self, words: str) -> Locator:
        """One of my commitments, by some of its words."""
        return self.my_commitments.get_by_role("listitem").filter(has_text=words)

    def mark_done(self, words: str) -> None:
        self.commitment(words).get_by_role("button", name=re.compile(r"^Mark as done")).click()
        expect(self.commitment(words)).to_contain_text("Done on")

    def undo(self, words: str) -> None:
        self.commitment(words).get_by_role("button", name=re.compile(r"^Undo")).click()
        expect(self.commitment(words).get_by_role("button", name=re.compile(r"^Mark as done"))).to_be_visible()

    def comment_on(self, words: str, comment: str) -> None:
        item = self.commitment(words)
        item.locator("summary").click()
        item.get_by_label("Comment").fill(comment)
        item.get_by_role("button", name="Save comment").click()
        expect(self.commitment(words)).to_contain_text(comment)


class SharedPlanPage:
    """The young person's plan as someone they share it with sees it (a trusted adult)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def new_ideas(self) -> Locator:
        return self.page.get_by_role("region", name=re.compile(r"^New ideas for .+'s plan$"))

    def add_an_idea(self, starter: str, text: str) -> None:
        """Write an idea into the young person's plan, in my words, and wait until it shows."""
        self.new_ideas.get_by_role("link", name="Add an idea in your words", exact=True).click()
        form = self.page.get_by_role("form", name="Add an idea in your words")
        form.get_by_label("Starts with").select_option(label=f"{starter}…")
        form.get_by_label("Then in your words").fill(text)
        form.get_by_role("button", name="Add this idea").click()
        expect(self.new_ideas.get_by_role("listitem").filter(has_text=text)).to_contain_text("My words")


class DevicesPage:
    """ "Phones that can open this": every key that opens the plan, each with "Remove this phone"."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def phones(self) -> Locator:
        """One list item per phone (per key)."""
        remove = self.page.get_by_role("link", name="Remove this phone")
        return self.page.get_by_role("listitem").filter(has=remove)

    @property
    def this_phone(self) -> Locator:
        """The phone in my hand: the one marked "this phone"."""
        return self.phones.filter(has=self.page.locator(".badge").get_by_text("this phone", exact=True))

    @staticmethod
    def key_of(phone: Locator) -> str:
        """Which key a listed phone is: the address of its own "Remove this phone" page."""
        href = phone.get_by_role("link", name="Remove this phone").get_attribute("href")
        assert href, "a listed phone has no remove link"
        return href

    def listed_keys(self) -> list[str]:
        """Every listed phone's key, in list order."""
        return [self.key_of(phone) for phone in self.phones.all()]


class FamilyPhone:
    """A young person's (or parent's) phone: its own browser context, cookies and passkeys."""

    def __init__(self, page: Page, authenticator: VirtualAuthenticator) -> None:
        self.page = page
        self.authenticator = authenticator
        self.plan = PlanPage(page)
        self.carer = CarerPage(page)
        self.shared_plan = SharedPlanPage(page)
        self.devices = DevicesPage(page)

    @classmethod
    def with_authenticator(cls, context: BrowserContext) -> FamilyPhone:
        page = context.new_page()
        return cls(page, VirtualAuthenticator(page))

    @property
    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    @property
    def status_message(self) -> Locator:
        return self.page.get_by_role("status")

    def open_invitation(self, link: str) -> Response | None:
        return self.page.goto(link)

    def make_my_key(self) -> PlanPage:
        """Press "Make my key" on the invitation page; the phone makes a passkey and opens the plan."""
        self.page.get_by_role("button", name="Make my key").click()
        self.page.wait_for_url("/")
        return self.plan

    def open_sign_in(self) -> None:
        self.page.goto("/sign-in")

    def open_with_my_key(self) -> PlanPage:
        """Sign in with the passkey saved on this phone (discoverable: no name typed)."""
        self.page.get_by_role("button", name="Open with my key").click()
        self.page.wait_for_url("/")
        return self.plan

    def open_my_plan(self) -> None:
        self.page.goto("/")

    def sign_out(self) -> None:
        self.page.get_by_role("contentinfo").get_by_role("button", name="Sign out").click()
        self.page.wait_for_url("/sign-in")

    def share_with(self, person: str, what: str) -> None:
        """On "Who can see my plan", let `person` (by name) see or do `what`, and save."""
        self.page.get_by_role("link", name="Who can see my plan").click()
        self.page.get_by_role("group", name=re.compile(rf"^{re.escape(person)}\b")).get_by_label(what).check()
        self.page.get_by_role("button", name="Save my choices").click()
        expect(self.status_message).to_contain_text("Saved.")

    def open_my_phones(self) -> DevicesPage:
        """From my plan, open "Phones that can open this"."""
        self.page.get_by_role("link", name=re.compile(r"^Phones that can open")).click()
        self.page.wait_for_url(re.compile(r"/c/\d+/devices$"))
        return self.devices

    def add_another_phone(self, other: FamilyPhone) -> DevicesPage:
        """On "Phones that can open this", press "Add another phone or computer" and make the new key
        on `other` (scanning the browser's QR code, in real life); back on the list when it is done."""
        with self.authenticator.reaching_another_phone() as that_phone:
            self.page.get_by_role("button", name="Add another phone or computer").click()
            self.page.wait_for_url(re.compile(r"/c/\d+/devices\?added=1$"))
            for credential in that_phone.credentials():
                other.authenticator.add_credential(credential)
        return self.devices

    def press_quick_exit(self) -> None:
        self.page.get_by_role("link", name="Quick exit").click()

    def press_shift_three_times(self) -> None:
        for _ in range(3):
            self.page.keyboard.press("Shift")

    # --- The offline copy (SECURITY.md R17) ---

    @property
    def offline_copy_choice(self) -> Locator:
        return self.page.get_by_role("checkbox", name="Keep a copy on this phone so it opens without signal")

    def keep_a_copy_on_this_phone(self) -> None:
        """Tick the offline-copy choice and wait until the copy is kept and the worker controls the page."""
        self.offline_copy_choice.check()
        expect(self.page.get_by_text("Done. Your plan will open on this phone without signal.")).to_be_visible()
        self.page.evaluate(
            """async () => {
                await navigator.serviceWorker.ready;
                while (!navigator.serviceWorker.controller) { await new Promise((r) => setTimeout(r, 50)); }
            }"""
        )

    def stop_keeping_a_copy(self) -> None:
        self.offline_copy_choice.uncheck()
        expect(self.page.get_by_text("The copy on this phone is deleted.")).to_be_visible()

    def lose_signal(self) -> None:
        self.page.context.set_offline(True)

    def get_signal_back(self) -> None:
        self.page.context.set_offline(False)

    def reload(self) -> Response | None:
        return self.page.reload()

    def what_this_phone_keeps(self) -> str:
        """Everything the site left on the phone: Cache Storage (names, URLs and bodies), localStorage,
        IndexedDB (every record of every store), and service worker registrations, as one text."""
        dump: str = self.page.evaluate(
            """async () => {
                const out = [];
                for (const name of await caches.keys()) {
                    const cache = await caches.open(name);
                    for (const request of await cache.keys()) {
                        const response = await cache.match(request);
                        out.push("cache " + name + " " + request.url + "\\n" + (response ? await response.text() : ""));
                    }
                }
                for (let i = 0; i < localStorage.length; i++) {
                    const key = localStorage.key(i);
                    out.push("localStorage " + key + "=" + localStorage.getItem(key));
                }
                for (const info of await indexedDB.databases()) {
                    const db = await new Promise((ok, fail) => {
                        const open = indexedDB.open(info.name);
                        open.onsuccess = () => ok(open.result);
                        open.onerror = () => fail(open.error);
                    });
                    for (const store of db.objectStoreNames) {
                        const all = await new Promise((ok) => {
                            const get = db.transaction(store).objectStore(store).getAll();
                            get.onsuccess = () => ok(get.result);
                        });
                        out.push("indexedDB " + info.name + "/" + store + " " + JSON.stringify(all));
                    }
                    db.close();
                }
                const registrations = await navigator.serviceWorker.getRegistrations();
                out.push("service workers: " + registrations.length);
                return out.join("\\n");
            }"""
        )
        return dump

    def send_words_without_signal(self, url: str, words: str, *, htmx: bool = False) -> dict[str, Any]:
        """Post a form from the page (as htmx or a script would); returns status, headers and body."""
        result: dict[str, Any] = self.page.evaluate(
            """async ([url, words, htmx]) => {
                const form = new FormData();
                form.append("csrf_token", document.querySelector('meta[name="csrf-token"]').content);
                form.append("text", words);
                const headers = htmx ? { "HX-Request": "true" } : {};
                const response = await fetch(url, { method: "POST", body: form, headers });
                return { status: response.status, offline: response.headers.get("X-Daybook-Offline"),
                         body: await response.text() };
            }""",
            [url, words, htmx],
        )
        return result

    # --- Lock after inactivity ---

    def open_my_plan_locking_after(self, seconds: int) -> None:
        """Open the plan with a short inactivity timer (the test server honours ?lock_after=)."""
        self.page.goto(f"/?lock_after={seconds}")

    def leave_the_phone_alone_until_it_locks(self) -> None:
        self.page.wait_for_url("/locked", timeout=15_000)

    def unlock_with_my_key(self) -> PlanPage:
        self.page.get_by_role("button", name="Open with my key").click()
        self.page.wait_for_url("/")
        return self.plan


class PractitionerDesk:
    """A practitioner at their computer, on the /practitioner door, with their synced passkeys."""

    def __init__(self, page: Page, passkeys: SyncedPasskeys) -> None:
        self.page = page
        self.passkeys = passkeys
        self.authenticator = VirtualAuthenticator(page)
        passkeys.install_on(self.authenticator)

    @classmethod
    def in_new_browser(cls, context: BrowserContext, passkeys: SyncedPasskeys) -> PractitionerDesk:
        return cls(context.new_page(), passkeys)

    @property
    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    @property
    def error_summary(self) -> Locator:
        return self.page.get_by_role("alert")

    def open_sign_in(self) -> None:
        self.page.goto("/practitioner/sign-in")

    def _fill_sign_in(self, email: str, password: str) -> None:
        self.open_sign_in()
        self.page.get_by_label("Work email").fill(email)
        self.page.get_by_label("Password").fill(password)

    def sign_in(self, email: str, password: str) -> None:
        """Sign in with email and password (then the passkey, if asked) and arrive at the caseload."""
        self._fill_sign_in(email, password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(AFTER_PASSWORD)
        if PASSKEY_STEP.search(self.page.url):
            self.confirm_with_my_passkey()

    def enter_password(self, email: str, password: str) -> None:
        """Pass the password step only, arriving at the passkey step."""
        self._fill_sign_in(email, password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(PASSKEY_STEP)

    def confirm_with_my_passkey(self) -> None:
        """On the passkey step, use the passkey (the first time, make it) and arrive at the caseload."""
        self.page.get_by_role("button", name=re.compile(r"^(Use|Make) my passkey$")).click()
        self.page.wait_for_url("/practitioner/")
        self.passkeys.save_from(self.authenticator)

    def try_to_sign_in(self, email: str, password: str) -> int:
        """Submit the sign-in form expecting to be refused; returns the HTTP status of the answer."""
        self._fill_sign_in(email, password)
        with self.page.expect_response(
            lambda r: r.url.endswith("/practitioner/sign-in") and r.request.method == "POST"
        ) as answer:
            self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        return answer.value.status

    def open_caseload(self) -> None:
        self.page.goto("/practitioner/")

    def open_child(self, name: str) -> None:
        """From the caseload, open a young person's plan by their name."""
        if not self.page.url.endswith("/practitioner/"):
            self.open_caseload()
        self.page.get_by_role("link", name=name, exact=True).click()
        self.page.wait_for_url(CHILD_PAGE)

    def caseload_row(self, name: str) -> Locator:
        """One young person's row on the caseload, by their name."""
        return self.page.get_by_role("row").filter(has=self.page.get_by_role("link", name=name, exact=True))

    def open_emergency_access(self) -> None:
        """From the caseload, open "Emergency access to a plan you're not linked to"."""
        self.open_caseload()
        self.page.get_by_role("link", name="Emergency access to a plan you're not linked to").click()
        self.page.wait_for_url(re.compile(r"/practitioner/break-glass$"))

    def find_young_person(self, name: str, born: str) -> None:
        """Search for a young person by name and date of birth (born like "17/02/2011")."""
        self.page.get_by_label("Their name").fill(name)
        self.page.get_by_label("Their date of birth").fill(born)
        self.page.get_by_role("button", name="Find", exact=True).click()
        self.page.wait_for_load_state()

    @property
    def young_people_found(self) -> Locator:
        """The choice of young people a search found."""
        return self.page.get_by_role("group", name=re.compile(r"young (person|people) found$"))

    def try_to_open_in_an_emergency(self, who: str = "", reason: str = "") -> None:
        """Choose a young person found (by the start of their label) and give a reason, expecting a refusal."""
        if who:
            self.young_people_found.get_by_label(re.compile(rf"^{re.escape(who)}\b")).check()
        self.page.get_by_label("Why do you need access now?").fill(reason)
        self.page.get_by_role("button", name="Open the plan, read-only").click()
        self.page.wait_for_load_state()

    def open_in_an_emergency(self, who: str, reason: str) -> None:
        """Choose a young person found and say why: their plan opens, read-only."""
        self.try_to_open_in_an_emergency(who, reason)
        self.page.wait_for_url(CHILD_PAGE)

    def remove_someones_access(self, child_id: int, name: str) -> None:
        """On the child's "Access and sharing" page, remove someone's access (saying yes when asked)."""
        self.page.goto(f"/practitioner/children/{child_id}/access")
        self.page.get_by_role("link", name=f"Remove {name}'s access").click()
        self.page.get_by_role("button", name="Yes, remove access").click()
        expect(self.page.get_by_role("link", name=f"Remove {name}'s access")).to_have_count(0)

    def open_child_by_id(self, child_id: int) -> None:
        self.page.goto(f"/practitioner/children/{child_id}")

    def plan_item(self, words: str) -> Locator:
        """One line of the open plan (a statement, a person to call, a place), by some of its words."""
        return self.page.locator(".content").get_by_role("listitem").filter(has_text=words)

    def open_version(self, number: int) -> None:
        """Open an agreed version from the plan's version history."""
        self.page.get_by_role("link", name=re.compile(rf"^Version {number}, agreed")).click()
        self.page.wait_for_url(re.compile(rf"/versions/{number}$"))

    def open_invite_form(self) -> None:
        self.page.get_by_role("link", name="Invite someone to the app").click()
        self.page.wait_for_url(re.compile(r"/invitations$"))

    def submit_invitation(self) -> None:
        self.page.get_by_role("button", name="Create invitation").click()
        self.page.wait_for_load_state()

    def invite_a_new_phone_for(self, name: str) -> str:
        """From the open child's plan, a new key for someone already in it; returns the one-time link."""
        self.open_invite_form()
        self.page.get_by_label(re.compile(rf"^A new phone for {re.escape(name)}\b")).check()
        self.submit_invitation()
        expect(self.heading).to_have_text(f"Invitation ready for {name}")
        link = self.page.locator("input[data-invite-link]").input_value()
        assert link, "the invitation page shows no link"
        return link

    def invite(self, role: str, name: str, relationship: str = "") -> str:
        """Invite someone from the open child's plan; returns the one-time link shown on the page."""
        if not self.page.get_by_role("button", name="Create invitation").is_visible():
            self.open_invite_form()
        self.page.get_by_label(role, exact=True).check()
        self.page.get_by_label("Name they like to be called").fill(name)
        if relationship:
            self.page.get_by_label("Relationship to the young person").fill(relationship)
        self.submit_invitation()
        expect(self.heading).to_have_text(f"Invitation ready for {name}")
        link = self.page.locator("input[data-invite-link]").input_value()
        assert link, "the invitation page shows no link"
        return link
