"""chat-state: history, per-record TTL, compressed or encrypted storage

Revision ID: 0004_chat_state_history
Revises: 0003_chat_state
Create Date: 2026-12-07

- chat_state becomes nullable: a row holds either the client's text (codec NULL, as every
  existing row does, so they keep working unchanged) or bytes in chat_state_data, compressed
  and/or encrypted as codec says, under the key named key_id.
- expires_at (NULL: never), indexed for the purge of expired records.
- chat_state_versions: the last CHAT_STATE_HISTORY versions of each record, deleted with it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_chat_state_history"
down_revision = "0003_chat_state"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("chat_state_sessions") as batch_op:
        batch_op.alter_column("chat_state", existing_type=sa.Text(), nullable=True)
        batch_op.add_column(sa.Column("chat_state_data", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("codec", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("key_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_chat_state_sessions_expires_at"), ["expires_at"])
    op.create_table(
        "chat_state_versions",
        sa.Column("user_session_id", sa.String(length=255), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("chat_state", sa.Text(), nullable=True),
        sa.Column("chat_state_data", sa.LargeBinary(), nullable=True),
        sa.Column("codec", sa.String(length=16), nullable=True),
        sa.Column("key_id", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("last_activity", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_session_id"],
            ["chat_state_sessions.user_session_id"],
            name=op.f("fk_chat_state_versions_user_session_id_chat_state_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_session_id", "version", name=op.f("pk_chat_state_versions")),
    )


def downgrade():
    op.drop_table("chat_state_versions")
    # Rows stored as bytes cannot go back to a NOT NULL text column: refuse rather than lose them.
    bind = op.get_bind()
    left = bind.execute(
        sa.text("SELECT count(*) FROM chat_state_sessions WHERE chat_state IS NULL")
    ).scalar()
    if left:
        raise RuntimeError(
            f"{left} chat-state records are stored compressed or encrypted; "
            "rewrite them as text before downgrading"
        )
    with op.batch_alter_table("chat_state_sessions") as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_state_sessions_expires_at"))
        batch_op.drop_column("expires_at")
        batch_op.drop_column("key_id")
        batch_op.drop_column("codec")
        batch_op.drop_column("chat_state_data")
        batch_op.alter_column("chat_state", existing_type=sa.Text(), nullable=False)
