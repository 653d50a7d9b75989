"""The request limit and the text limits tell one story (what the 413 page says is true)."""

from __future__ import annotations

from app.inputs import LONGEST_TEXT
from app.web.door import MAX_CONTENT_LENGTH

# The most a form sends for one character: four bytes of UTF-8, each percent-encoded ("%F0").
WORST_BYTES_PER_CHARACTER = 12


def test_ten_full_boxes_of_the_widest_characters_fit_in_one_request() -> None:
    """So a 413 always means some box holds far more than any box's own limit."""
    assert 10 * LONGEST_TEXT * WORST_BYTES_PER_CHARACTER < MAX_CONTENT_LENGTH
