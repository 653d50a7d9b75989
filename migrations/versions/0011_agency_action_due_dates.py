"""agency action due dates: agency_action.due_on and .repeats replace .by_when

Revision ID: 0011
Revises: 0009

An agency action's "by/at" (seed 003) was free words, so "not a date at all, whenever" was
accepted and nothing could say an action was overdue (issue 8). It becomes a date (`due_on`: the
day a one-off action is due, or the day a repeating one starts) plus optional words for actions
that repeat (`repeats`: "every Friday", "ongoing").

Existing words are kept: a by/at that is a single date ("2 Nov 2026", "by 20/11/2026",
"2026-11-02") becomes `due_on`; anything else ("from 27 Oct 2026", "ongoing", "whenever") is kept
word for word in `repeats`, with no due date, since it names no day by which the action is done.
Downgrading writes the words back (a date as "2 Nov 2026").

Rows of agreed versions are rewritten too: the same by/at, stored in a new shape (the guard that
keeps agreed versions frozen is the application's, app.plans.immutability).

The lead re-chains this after 0009/0010 (another branch) at merge: down_revision is 0008 here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_LEAD = r"(?:(?:by|on|due|at)\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
_DAY_MONTH_YEAR = re.compile(_LEAD + r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_ISO = re.compile(_LEAD + r"(\d{4})-(\d{2})-(\d{2})")
_NUMERIC = re.compile(_LEAD + r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})")  # day first, as in England


def parse_due_date(words: str) -> date | None:
    """The date a by/at names when it is nothing but a date (optionally "by ..."), else None."""
    text = " ".join(words.lower().split()).rstrip(".")
    try:
        if found := _DAY_MONTH_YEAR.fullmatch(text):
            day, month_word, year = found.groups()
            month = _month(month_word)
            return date(int(year), month, int(day)) if month else None
        if found := _ISO.fullmatch(text):
            year, month, day = found.groups()
            return date(int(year), int(month), int(day))
        if found := _NUMERIC.fullmatch(text):
            day, month, year = found.groups()
            return date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day))
    except ValueError:  # 31 Feb and the like: keep the words
        return None
    return None


def _month(word: str) -> int | None:
    """1-12 for a month's name or its usual short form ("nov", "sept"), else None."""
    for number, name in enumerate(MONTH_NAMES, start=1):
        if word in (name, name[:3]) or (word == "sept" and number == 9):
            return number
    return None


def words_for(due_on: date | None, repeats: str) -> str:
    """The by/at words a row had (or would have had) before this migration."""
    when = f"{due_on.day} {MONTH_NAMES[due_on.month - 1][:3].title()} {due_on.year}" if due_on else ""
    if repeats and when:
        return f"{repeats}, from {when}"[:200]
    return repeats or when


def _table(*columns: sa.Column) -> sa.TableClause:
    return sa.table('agency_action', sa.column('id', sa.Integer), *columns)


def upgrade() -> None:
    with op.batch_alter_table('agency_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('repeats', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''))
    conn = op.get_bind()
    old = _table(sa.column('by_when', sa.String))
    new = _table(sa.column('due_on', sa.Date), sa.column('repeats', sa.String))
    for row_id, by_when in conn.execute(sa.select(old.c.id, old.c.by_when)).all():
        words = (by_when or "").strip()
        due_on = parse_due_date(words)
        conn.execute(
            new.update().where(new.c.id == row_id).values(due_on=due_on, repeats="" if due_on else words)
        )
    with op.batch_alter_table('agency_action', schema=None) as batch_op:
        batch_op.alter_column('repeats', server_default=None)
        batch_op.drop_column('by_when')


def downgrade() -> None:
    with op.batch_alter_table('agency_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('by_when', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''))
    conn = op.get_bind()
    new = _table(sa.column('due_on', sa.Date), sa.column('repeats', sa.String))
    old = _table(sa.column('by_when', sa.String))
    for row_id, due_on, repeats in conn.execute(sa.select(new.c.id, new.c.due_on, new.c.repeats)).all():
        conn.execute(old.update().where(old.c.id == row_id).values(by_when=words_for(due_on, repeats or "")))
    with op.batch_alter_table('agency_action', schema=None) as batch_op:
        batch_op.alter_column('by_when', server_default=None)
        batch_op.drop_column('repeats')
        batch_op.drop_column('due_on')
