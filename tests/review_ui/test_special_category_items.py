"""Questions holding special-category data: flagged in the queue and the item, and opened only
by the staff roles the council allows."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from staff_helpers import add_staff, make_staff_app, seed_item, sign_in


def test_flagged_items_open_only_for_allowed_roles(engine: Engine, embedder: Any) -> None:
    app = make_staff_app(engine, embedder, special_category_roles=("admin",))
    flagged = seed_item(
        engine,
        question="my son has epilepsy, why was his transport stopped",
        special_category=["health"],
    )
    plain = seed_item(engine, question="when is the tip open")
    reviewer, admin = TestClient(app), TestClient(app)
    sign_in(reviewer, add_staff(engine, "rev@brackenvale.example", "reviewer"))
    sign_in(admin, add_staff(engine, "boss@brackenvale.example", "admin"))

    queue = reviewer.get("/staff/").text
    assert "epilepsy" not in queue and "not open to your role" in queue
    assert "Special category" in queue and "when is the tip open" in queue
    refused = reviewer.get(f"/staff/items/{flagged}")
    assert refused.status_code == 403 and "epilepsy" not in refused.text
    assert reviewer.post(f"/staff/items/{flagged}/claim").status_code in (403, 400)
    assert reviewer.get(f"/staff/items/{plain}").status_code == 200

    page = admin.get(f"/staff/items/{flagged}")
    assert page.status_code == 200
    assert "epilepsy" in page.text and 'id="special-category"' in page.text
    assert "health" in page.text
