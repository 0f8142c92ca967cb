"""resident answers: staff-answer labels, feedback, reply notifications, Welsh flag

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 03:30:00

- message.approved_answer_id: the staff-approved answer a reply reused ("Answered by staff").
- review_item.language: "cy" when the resident wrote in Welsh (a Welsh-speaking reviewer).
- answer_feedback: "Was this helpful?" per reply (redacted comment).
- reply_notification: an email address left to hear once that a reply is ready (deleted after).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("approved_answer_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("review_item") as batch:
        batch.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
        batch.create_index("ix_review_item_language", ["language"])
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("service_area", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("review_reference", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_answer_feedback_message_id", "answer_feedback", ["message_id"], unique=True)
    op.create_index("ix_answer_feedback_conversation_id", "answer_feedback", ["conversation_id"])
    op.create_index("ix_answer_feedback_service_area", "answer_feedback", ["service_area"])
    op.create_index("ix_answer_feedback_created_at", "answer_feedback", ["created_at"])
    op.create_table(
        "reply_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_reply_notification_reference", "reply_notification", ["reference"], unique=True
    )
    op.create_index("ix_reply_notification_created_at", "reply_notification", ["created_at"])


def downgrade() -> None:
    op.drop_table("reply_notification")
    op.drop_table("answer_feedback")
    with op.batch_alter_table("review_item") as batch:
        batch.drop_index("ix_review_item_language")
        batch.drop_column("language")
    with op.batch_alter_table("message") as batch:
        batch.drop_column("approved_answer_id")
