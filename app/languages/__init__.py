"""Languages: the family side in English, Arabic, Albanian and Vietnamese; the practitioner side in English.

One string catalog (translations/<code>/LC_MESSAGES/messages.po) per language. A family member's
choice is kept with the person (FamilyMember.language), like easy read, so it follows them to a new
phone; before they choose, or signed out, the browser's Accept-Language decides. Plan content people
wrote stays in the words they wrote it in: only the page's own words change.
"""

from __future__ import annotations

# Each language named in itself, so someone who reads only that language can find it.
FAMILY_LANGUAGES: dict[str, str] = {"en": "English", "ar": "العربية", "sq": "Shqip", "vi": "Tiếng Việt"}
RIGHT_TO_LEFT = frozenset({"ar"})
DEFAULT_LANGUAGE = "en"


def text_direction(language: str) -> str:
    """ "rtl" for a language written right to left, else "ltr" (for `<html dir>`)."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"
