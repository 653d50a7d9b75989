"""What one commitment on a carer's plan page shows after a change or a refusal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CommitmentEditor:
    commitment: int | None = None  # the commitment this is about
    comment: str | None = None  # what was typed into its comment box (after a refusal)
    errors: Mapping[str, Any] = field(default_factory=dict)
    conflict: bool = False  # it changed since the page was opened: nothing was saved
    done: str = ""  # after a change: marked, undone, commented or uncommented
