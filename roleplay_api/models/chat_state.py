"""Chat-state records: a chatbot front end's serialized state keyed by its own session id,
and the last versions of each (its history)."""

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
    # The state is stored either as the client's text (codec NULL: every row written before
    # compression and encryption existed) or as bytes in chat_state_data, compressed and/or
    # encrypted as codec says, under the key named key_id (services/chat_state_codec.py).
    chat_state: Mapped[str | None] = mapped_column(sa.Text)
    chat_state_data: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    codec: Mapped[str | None] = mapped_column(sa.String(16))
    key_id: Mapped[str | None] = mapped_column(sa.String(64))
    # Indexed for purging idle records.
    last_activity: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # NULL: never expires. Indexed for purging expired records.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class ChatStateVersion(db.Model):
    """One kept version of a record (the current one included), stored as the record was.

    Deleting the record deletes its versions (ON DELETE CASCADE), so DELETE and purge need
    no second statement.
    """

    __tablename__ = "chat_state_versions"

    user_session_id: Mapped[str] = mapped_column(
        sa.String(255),
        sa.ForeignKey("chat_state_sessions.user_session_id", ondelete="CASCADE"),
        primary_key=True,
    )
    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    chat_state: Mapped[str | None] = mapped_column(sa.Text)
    chat_state_data: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    codec: Mapped[str | None] = mapped_column(sa.String(16))
    key_id: Mapped[str | None] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column()  # bytes of the state's UTF-8 text, as the client sent it
    last_activity: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
