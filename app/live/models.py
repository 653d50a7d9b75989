"""How many times each live channel has changed: the number a page compares after a reconnect."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class LiveChannel(SQLModel, table=True):
    """One channel ("plan:7") and how many committed changes it has seen. Holds no plan content."""

    __tablename__ = "live_channel"

    name: str = Field(primary_key=True, max_length=60)
    version: int = Field(default=0, nullable=False)
