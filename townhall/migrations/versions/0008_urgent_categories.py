"""review_item.urgent_categories: the risks the urgent detector found (most likely first), so
staff see at a glance why an item is urgent and which contacts the resident was given.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgent_categories", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.drop_column("urgent_categories")
