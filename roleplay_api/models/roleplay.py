"""Roleplay training sessions: five exchanges between a trainee and a persona."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from roleplay_api.difficulty import DIFFICULTIES
from roleplay_api.extensions import db
from roleplay_api.models.types import JSONType, UTCDateTime, utcnow


class RoleplaySession(db.Model):
    __tablename__ = "roleplay_sessions"
    __table_args__ = (
        sa.CheckConstraint(
            "difficulty IN (" + ", ".join(f"'{name}'" for name in DIFFICULTIES) + ")",
            name="difficulty",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The opaque public id: "session_" + random URL-safe characters.
    session_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    scenario_id: Mapped[str] = mapped_column(sa.String(64))
    scenario_title: Mapped[str] = mapped_column(sa.String(200))
    difficulty: Mapped[str] = mapped_column(sa.String(16))
    # [{role, content, timestamp, ...}]; replaced as a whole on every exchange.
    messages: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # len(messages), kept in step on every write so lists and stats never read the history.
    message_count: Mapped[int] = mapped_column(default=0)
    score: Mapped[int] = mapped_column(default=0)
    feedback: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    duration: Mapped[int] = mapped_column(default=0)
    xp_earned: Mapped[int] = mapped_column(default=0)
    coach_engine: Mapped[str] = mapped_column(sa.String(32), default="coach")
    rubric_version: Mapped[str] = mapped_column(sa.String(32), default="1")
    # Bumped on every write; a message's UPDATE is guarded by the version it read.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def is_active(self) -> bool:
        return self.completed_at is None


# The list endpoint reads one user's sessions newest first (id breaks ties for stable paging).
sa.Index(
    "ix_roleplay_sessions_user_id_created_at",
    RoleplaySession.user_id,
    RoleplaySession.created_at.desc(),
    RoleplaySession.id.desc(),
)
