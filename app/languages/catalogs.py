"""The compiled catalogs (.mo) Flask-Babel reads, made from the .po files people edit.

Compiled when missing or older than their .po, the way Python writes .pyc files: a fresh clone, a
test run and a server all read what the .po says without a separate build step. A deployment that
cannot write there compiles them at build time instead (`pybabel compile -d translations`).
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)


def catalog_paths(directory: Path) -> list[Path]:
    """Every language's messages.po under `directory` (translations/<code>/LC_MESSAGES/)."""
    return sorted(directory.glob("*/LC_MESSAGES/messages.po"))


def compile_catalogs(directory: Path) -> list[Path]:
    """Compile each stale catalog; returns the .mo files written. Written whole, then renamed, so a
    process reading at the same time never sees half a file."""
    written = []
    for po in catalog_paths(directory):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        try:
            with tempfile.NamedTemporaryFile("wb", dir=po.parent, delete=False, suffix=".tmp") as target:
                write_mo(target, catalog, use_fuzzy=False)
            os.replace(target.name, mo)
        except OSError:
            log.warning("could not write %s: compile the translations at build time", mo)
            continue
        written.append(mo)
    return written


STATUS_LINE = "Translation status:"


@functools.lru_cache(maxsize=16)
def translation_status(directory: Path, language: str) -> str:
    """The catalog's own word on how far it has been checked, from its header comment's
    "# Translation status: drafted, ..." line ("drafted" until a native speaker has checked it,
    then "checked"). A comment, because Babel keeps it through `pybabel update`; unknown headers it drops."""
    po = directory / language / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return ""
    with po.open("rb") as source:
        catalog = read_po(source)
    for line in catalog.header_comment.splitlines():
        text = line.lstrip("# ").strip()
        if text.startswith(STATUS_LINE):
            return text[len(STATUS_LINE) :].strip().split(",", 1)[0].split(" ", 1)[0].lower()
    return ""
