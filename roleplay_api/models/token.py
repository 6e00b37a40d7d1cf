"""Revoked JWTs, kept in the database so a logout holds across restarts and instances."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from roleplay_api.extensions import db
from roleplay_api.models.types import UTCDateTime, utcnow


class RevokedToken(db.Model):
    __tablename__ = "revoked_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    jti: Mapped[str] = mapped_column(sa.String(64), unique=True)
    token_type: Mapped[str] = mapped_column(sa.String(16))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=True
    )
    # Once a token has expired on its own its row can be purged.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
