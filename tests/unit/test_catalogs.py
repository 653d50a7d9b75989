"""Issue 15: every language's catalog is complete for the family side, honest about its status, and compiles.

The family side's strings are those babel-family.cfg extracts (the practitioner door stays in
English, so its strings may stay untranslated). For each of them, every catalog holds a
translation: not empty, not fuzzy, with the same placeholders and every plural form.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.config import PROJECT_ROOT
from app.languages import FAMILY_LANGUAGES
from app.languages.catalogs import compile_catalogs, translation_status

TRANSLATIONS = PROJECT_ROOT / "translations"
TRANSLATED = sorted(code for code in FAMILY_LANGUAGES if code != "en")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
MsgId = str | tuple[str, ...]


def _read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


@pytest.fixture(scope="module")
def family_ids() -> set[MsgId]:
    """Every msgid a family member can meet, extracted as `make translations` does."""
    with (PROJECT_ROOT / "babel-family.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    ids: set[MsgId] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=keywords
    ):
        ids.add(message)
    return ids


@pytest.fixture(scope="module", params=TRANSLATED)
def catalog(request: pytest.FixtureRequest) -> Catalog:
    return _read(TRANSLATIONS / request.param / "LC_MESSAGES" / "messages.po")


def test_the_family_side_has_hundreds_of_strings_to_translate(family_ids: set[MsgId]) -> None:
    assert len(family_ids) > 400
    assert "Quick exit" in family_ids and "Call 999" in family_ids


def test_every_catalog_holds_every_string_of_the_template(catalog: Catalog) -> None:
    template = _read(TRANSLATIONS / "messages.pot")
    missing = [message.id for message in template if message.id and message.id not in catalog]
    assert not missing, f"{catalog.locale}: run `make translations` ({len(missing)} strings missing)"


def test_every_family_string_is_translated_with_its_placeholders(catalog: Catalog, family_ids: set[MsgId]) -> None:
    problems = []
    for msgid in sorted(family_ids, key=str):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalog.get(key)
        if message is None:
            problems.append(f"missing: {key!r}")
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(form and form.strip() for form in forms):
            problems.append(f"untranslated or fuzzy: {key!r}")
            continue
        if isinstance(msgid, tuple) and len(forms) != catalog.num_plurals:
            problems.append(f"{len(forms)} of {catalog.num_plurals} plural forms: {key!r}")
        wanted = set(PLACEHOLDER.findall(" ".join(msgid if isinstance(msgid, tuple) else (msgid,))))
        for form in forms:
            extra = set(PLACEHOLDER.findall(form)) - wanted
            # A plural form may spell out its number ("one", "two") and drop %(num)d; nothing else.
            lost = wanted - set(PLACEHOLDER.findall(form)) - {"%(num)d"}
            if extra or lost:
                problems.append(f"placeholders {sorted(lost)} lost, {sorted(extra)} unknown: {key!r} -> {form!r}")
    assert not problems, f"{catalog.locale}: {len(problems)} problems\n" + "\n".join(problems[:40])


def test_every_catalog_says_how_far_it_has_been_checked() -> None:
    for code in TRANSLATED:
        assert translation_status(TRANSLATIONS, code) in {"drafted", "checked"}, code


def test_the_catalogs_compile_and_are_recompiled_when_they_change(tmp_path: Path) -> None:
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    written = compile_catalogs(copy)
    assert sorted(path.parent.parent.name for path in written) == TRANSLATED
    assert compile_catalogs(copy) == []  # nothing changed: nothing to do
    for code in TRANSLATED:
        write_mo(io.BytesIO(), _read(copy / code / "LC_MESSAGES" / "messages.po"))
