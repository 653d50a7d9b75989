"""Entity tags for plan items: the item's table, id and revision, so a stale one is a conflict (R24).

The tag is strong and quoted (`"child_statement.12.3"`). It names the revision it was read at, so a
write through the API states that revision to the same service the web page's form does (which
sends it as a hidden field): the service checks it and the write is one atomic step.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import ETags

from app.inputs import parse_id

_TAG = re.compile(r"([a-z_]+)\.([0-9]{1,10})\.([0-9]{1,10})")
# A revision no row ever has: an If-Match that names no revision of this item is always stale.
NO_REVISION = -1


def tag_of(kind: str, item_id: int, revision: int) -> str:
    """The tag's value, unquoted."""
    return f"{kind}.{item_id}.{revision}"


def etag_of(row: Any) -> str:
    """The quoted strong ETag of a plan item row, as the ETag header (and the item's `etag`) carries it."""
    return f'"{tag_of(str(type(row).__tablename__), row.id or 0, row.revision or 0)}"'


def stated_revision(if_match: ETags, kind: str, item_id: int) -> int:
    """The revision of this item an If-Match names (the newest, if several), else NO_REVISION.

    Weak tags never match (If-Match compares strongly, RFC 9110 §13.1.1), nor do tags of other items.
    """
    revisions = []
    for tag in if_match.as_set():
        found = _TAG.fullmatch(tag)
        if found is None or found.group(1) != kind or parse_id(found.group(2)) != item_id:
            continue
        revision = parse_id(found.group(3))
        if revision is not None:
            revisions.append(revision)
    return max(revisions, default=NO_REVISION)
