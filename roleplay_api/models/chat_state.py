"""Chat-state records: a chatbot front end's serialized state keyed by its own session id."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from roleplay_api.extensions import db
from roleplay_api.models.types import UTCDateTime, utcnow


class ChatStateSession(db.Model):
    __tablename__ = "chat_state_sessions"

    session_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    # Unique, which also gives the lookup index the source document created separately.
    user_session_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    chat_state: Mapped[str] = mapped_column(sa.Text)
    # Indexed for purging idle records.
    last_activity: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
