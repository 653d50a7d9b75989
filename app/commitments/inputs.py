"""What a parent or carer writes about their own commitment."""

from __future__ import annotations

from typing import Annotated

from app.inputs import Input, Words

MAX_COMMENT_LENGTH = 500


class CommentInput(Input):
    """A comment (empty removes it), with the latest update the person saw (0 for none; R24)."""

    comment: Annotated[str, Words(MAX_COMMENT_LENGTH, required=False)] = ""
    expected_latest: int
