"""The old way of cleaning free text, kept only until its last user (app/access/break_glass.py) takes
a typed input instead. Everything else validates with app.inputs (`Input`, `Words`), which refuses
what this silently cut or dropped (R29: too long, NUL, invisible-only text). Do not add users."""

from __future__ import annotations

import re
import unicodedata

# Control characters other than tab and newline have no place in a plan; NUL is refused outright
# by PostgreSQL, so leaving it in would turn a typo into a server error.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: object, *, max_length: int | None = None, single_line: bool = False) -> str:
    """Normalised (NFC), control characters removed, trimmed; optionally one line and cut to length."""
    text = unicodedata.normalize("NFC", value if isinstance(value, str) else "")
    text = _CONTROL.sub("", text)
    if single_line:
        text = " ".join(text.split())
    text = text.strip()
    return text[:max_length] if max_length is not None else text
