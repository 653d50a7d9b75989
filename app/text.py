"""Cleaning free text at the edge: every string a person types passes through `clean_text`."""

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
