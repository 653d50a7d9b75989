"""What the new-ideas part of the plan page has open, and what happened last.

One value, built by the co-writing views and read by the templates (cowriting/_new_ideas.html):
which adding form is open and what was typed into it, which idea is being changed or which idea,
place or person is being taken out (it asks first), what a refusal said, and where focus goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The kinds of thing a family member adds to the draft, each with its own form.
KINDS = ("idea", "place", "contact")


@dataclass(frozen=True)
class Editor:
    open: str = ""  # the adding form shown: "idea", "place" or "contact" (or none)
    typed: Mapping[str, str] = field(default_factory=dict)  # what was typed into the open or edited form
    errors: Mapping[str, Any] = field(default_factory=dict)  # what to change, by field
    editing: int | None = None  # the idea being changed
    deleting: int | None = None  # the idea, place or person being taken out (asks first)
    deleting_kind: str = ""  # which of the KINDS `deleting` is
    revision: str = ""  # the revision the change or take-out form states
    saved_text: str | None = None  # after a conflict: what the idea says now
    stale: bool = False  # something changed since the page was opened
    done: str = ""  # after a change: added, saved, removed or moved
    focus: str = ""  # the id of the element that gets focus

    @property
    def conflict(self) -> bool:
        return self.saved_text is not None

    def adding(self, kind: str) -> Mapping[str, str]:
        """What was typed into the `kind` adding form (empty unless it is the open one)."""
        return self.typed if self.open == kind else {}

    def errors_for(self, kind: str) -> Mapping[str, Any]:
        return self.errors if self.open == kind else {}

    def is_deleting(self, kind: str, item_id: int | None) -> bool:
        return self.deleting_kind == kind and item_id is not None and self.deleting == item_id
