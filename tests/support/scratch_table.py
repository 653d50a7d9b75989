"""A table of its own for tests of the database plumbing (app.db, app.db_write_lock): not the app's."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class ScratchBase(DeclarativeBase):
    """A registry of its own: this table is not the app's."""


class Note(ScratchBase):
    __tablename__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(40))
