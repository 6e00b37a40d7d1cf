"""scenarios and roleplay sessions

Revision ID: 0002_roleplay
Revises: 0001_auth
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_roleplay"
down_revision = "0001_auth"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade():
    op.create_table(
        "scenarios",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("persona", JSON, nullable=False),
        sa.Column("skills", JSON, nullable=False),
        sa.Column("tips", JSON, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
    )
    op.create_table(
        "roleplay_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.String(length=64), nullable=False),
        sa.Column("scenario_title", sa.String(length=200), nullable=False),
        sa.Column("difficulty", sa.String(length=16), nullable=False),
        sa.Column("messages", JSON, nullable=False),
        sa.Column("message_count", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("feedback", JSON, nullable=True),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("xp_earned", sa.Integer(), nullable=False),
        sa.Column("coach_engine", sa.String(length=32), nullable=False),
        sa.Column("rubric_version", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "difficulty IN ('BEGINNER', 'ROOKIE', 'PRO', 'ELITE', 'NIGHTMARE')",
            name=op.f("ck_roleplay_sessions_difficulty"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_roleplay_sessions_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roleplay_sessions")),
        sa.UniqueConstraint("session_id", name=op.f("uq_roleplay_sessions_session_id")),
    )
    # The list endpoint: one user's sessions, newest first (id breaks ties for stable paging).
    op.create_index(
        "ix_roleplay_sessions_user_id_created_at",
        "roleplay_sessions",
        ["user_id", sa.text("created_at DESC"), sa.text("id DESC")],
    )


def downgrade():
    op.drop_index("ix_roleplay_sessions_user_id_created_at", table_name="roleplay_sessions")
    op.drop_table("roleplay_sessions")
    op.drop_table("scenarios")
