"""chat-state sessions

Revision ID: 0003_chat_state
Revises: 0002_roleplay
Create Date: 2026-11-21

The source document also created an index on user_session_id; its UNIQUE constraint already
builds one, so a second would only slow every write.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_chat_state"
down_revision = "0002_roleplay"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "chat_state_sessions",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("user_session_id", sa.String(length=255), nullable=False),
        sa.Column("chat_state", sa.Text(), nullable=False),
        sa.Column("last_activity", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_chat_state_sessions")),
        sa.UniqueConstraint("user_session_id", name=op.f("uq_chat_state_sessions_user_session_id")),
    )
    with op.batch_alter_table("chat_state_sessions") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chat_state_sessions_last_activity"), ["last_activity"]
        )


def downgrade():
    op.drop_table("chat_state_sessions")
