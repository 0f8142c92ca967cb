"""outbox: emails and webhook calls waiting to be sent (staff alerts, resident notifications)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_when = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", _str(length=20), nullable=False),
        sa.Column("kind", _str(length=40), nullable=False),
        sa.Column("about", _str(length=64), nullable=True),
        sa.Column("dedupe_key", _str(length=200), nullable=True),
        sa.Column("recipient", _str(length=320), nullable=True),
        sa.Column("forget_recipient", sa.Boolean(), nullable=False),
        sa.Column("subject", _str(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("status", _str(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _when(), nullable=False),
        sa.Column("lease_token", _str(length=40), nullable=True),
        sa.Column("lease_until", _when(), nullable=True),
        sa.Column("last_error", _str(length=200), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("sent_at", _when(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbox_message") as batch:
        batch.create_index("ix_outbox_message_channel", ["channel"])
        batch.create_index("ix_outbox_message_about", ["about"])
        batch.create_index("ix_outbox_message_dedupe_key", ["dedupe_key"], unique=True)
        batch.create_index("ix_outbox_message_status", ["status"])
        batch.create_index("ix_outbox_message_next_attempt_at", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_table("outbox_message")
