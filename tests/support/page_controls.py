"""What a page offers its reader: the forms it would post (as a browser would send them) and the
pages it links to. Used to check that no one is shown a control they are not allowed to use."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from app.api.door import API_PREFIX

# Input types whose value a browser sends as it is.
_VALUE_TYPES = frozenset({"hidden", "text", "email", "tel", "date", "number", "search", "password", "url", ""})


@dataclass(frozen=True)
class Submission:
    """One way to send a form: its target and the fields a browser would send (CSRF token left out)."""

    action: str
    fields: tuple[tuple[str, str], ...]


@dataclass
class _Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    select: str | None = None
    select_value: str | None = None
    select_first: str | None = None
    textarea: str | None = None
    textarea_text: str = ""


class _Controls(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.form: _Form | None = None
        self.forms: list[_Form] = []
        self.posts: list[str] = []  # hx-post (and friends) outside a form's own action
        self.links: list[str] = []
        self._option_value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        for verb in ("hx-post", "hx-put", "hx-patch", "hx-delete"):
            if verb in a and not (tag == "form" and a[verb] == a.get("action")):
                self.posts.append(a[verb])
        if "hx-get" in a:
            self.links.append(a["hx-get"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "form":
            self.form = _Form(action=a.get("action") or self.page_path, method=(a.get("method") or "get").lower())
            self.forms.append(self.form)
        form = self.form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "").lower()
            if kind in _VALUE_TYPES and name:
                form.fields.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio") and name and "checked" in a:
                form.fields.append((name, a.get("value", "on")))
            elif kind == "submit" and name:
                form.buttons.append((name, a.get("value", "")))
        elif tag == "button" and a.get("type", "submit").lower() == "submit" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            form.select, form.select_value, form.select_first = name, None, None
        elif tag == "option" and form.select is not None:
            value = a.get("value")
            self._option_value = value
            if form.select_first is None:
                form.select_first = value or ""
            if "selected" in a:
                form.select_value = value or ""
        elif tag == "textarea" and name:
            form.textarea, form.textarea_text = name, ""

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.form.textarea is not None:
            self.form.textarea_text += data

    def handle_endtag(self, tag: str) -> None:
        form = self.form
        if form is None:
            return
        if tag == "select" and form.select is not None:
            chosen = form.select_value if form.select_value is not None else form.select_first
            if chosen is not None:
                form.fields.append((form.select, chosen))
            form.select = None
        elif tag == "textarea" and form.textarea is not None:
            form.fields.append((form.textarea, form.textarea_text.removeprefix("\n")))
            form.textarea = None
        elif tag == "form":
            self.form = None


def _local(url: str) -> str | None:
    """The path (and query) of a link to this door, or None for anchors, other sites, tel:, static
    files and the API door's pages (its public reference: tests/functional/api/test_docs_page.py)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or "/static/" in parts.path:
        return None
    if parts.path.startswith(API_PREFIX + "/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class PageControls:
    submissions: tuple[Submission, ...]
    links: tuple[str, ...]


def controls(page_path: str, html: str) -> PageControls:
    """Every POST the page's forms (and htmx attributes) would send, and every local page it links to."""
    parser = _Controls(page_path)
    parser.feed(html)
    parser.close()
    submissions: list[Submission] = []
    for form in parser.forms:
        if form.method != "post":
            continue
        fields = tuple((name, value) for name, value in form.fields if name != "csrf_token")
        for button in form.buttons or [None]:
            sent = fields + ((button,) if button else ())
            submissions.append(Submission(action=_local(form.action) or form.action, fields=sent))
    submissions += [Submission(action=_local(url) or url, fields=()) for url in parser.posts]
    links = tuple(dict.fromkeys(link for link in map(_local, parser.links) if link))
    return PageControls(submissions=tuple(dict.fromkeys(submissions)), links=links)
