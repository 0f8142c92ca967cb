"""personal data: conversation secrets, special-category flags

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 03:50:00

- conversation.secret_hash: the sha256 of the secret half of the conversation token given to
  the browser that started it; reading or continuing a conversation needs the token, and the
  id alone (shown to staff) opens nothing.
- special_category (UK GDPR Art. 9 categories found in the resident's message, flagged not
  blanked) on the conversation (any message flagged: shorter retention), the message and the
  review item (staff roles allowed to open it are a setting).
- usage_statistic: counts kept when `townhall purge` deletes the records behind them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "usage_statistic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=30), nullable=False),
        sa.Column("service_area", sa.String(length=60), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_usage_statistic_day", "usage_statistic", ["day"])
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("special_category", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index("ix_conversation_special_category", ["special_category"])
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("special_category", sa.JSON(), nullable=True))
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("special_category", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_index("ix_usage_statistic_day", table_name="usage_statistic")
    op.drop_table("usage_statistic")
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.drop_column("special_category")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_column("special_category")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_special_category")
        batch_op.drop_column("special_category")
        batch_op.drop_column("secret_hash")
