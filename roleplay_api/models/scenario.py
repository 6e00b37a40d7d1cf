"""Roleplay scenarios, loaded from the bundled library by `flask scenarios seed`."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from roleplay_api.extensions import db
from roleplay_api.models.types import JSONType, UTCDateTime, utcnow


class Scenario(db.Model):
    __tablename__ = "scenarios"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    # name, openingLine, concerns, objections and reply material for the coach.
    persona: Mapped[dict[str, Any]] = mapped_column(JSONType)
    skills: Mapped[list[str]] = mapped_column(JSONType)
    tips: Mapped[list[str]] = mapped_column(JSONType)
    position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
