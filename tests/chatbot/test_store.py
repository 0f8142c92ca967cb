"""The chat store on SQLite and PostgreSQL: turns, expiry, reference look-ups, approved answers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from chatbot.records import ApprovedAnswer, Conversation, ReviewItem, utcnow
from chatbot.store import ChatStore, Exchange


def exchange(store: ChatStore, conversation_id: str, new: bool, **kw: object) -> Exchange:
    values: dict = {
        "conversation_id": conversation_id,
        "new_conversation": new,
        "question": "how much is a permit",
        "reply": "It costs £60.",
        "status": "answered",
        "route": "answer",
        "confidence": 0.8,
        "sources": [
            {
                "title": "Permits",
                "url": None,
                "section": "Costs",
                "page": "p.md",
                "content_hash": "h",
                "text": "secret page text",
            }
        ],
    }
    values.update(kw)
    return Exchange(**values)


def item(reference: str, status: str = "new", **kw: object) -> ReviewItem:
    return ReviewItem(
        reference=reference, question="q", route="low_confidence", status=status, **kw
    )


def test_turns_are_stored_in_order_and_continue_until_they_expire(engine: Engine) -> None:
    store = ChatStore(engine)
    cid = store.new_conversation_id()
    assert store.recent_messages(cid, ttl_minutes=60) is None  # unknown id
    store.record(exchange(store, cid, True))
    store.record(exchange(store, cid, False, question="and for a second car?", reply="£95."))
    messages = store.transcript(cid)
    assert [m.role for m in messages] == ["resident", "assistant", "resident", "assistant"]
    assert messages[2].text == "and for a second car?"
    assert messages[1].sources == [
        {"title": "Permits", "url": None, "section": "Costs", "page": "p.md"}
    ]  # residents' transcript keeps no page text or hashes
    recent = store.recent_messages(cid, ttl_minutes=60)
    assert recent is not None and len(recent) == 4

    with Session(engine) as db:
        conversation = db.get(Conversation, cid)
        assert conversation is not None
        conversation.last_active_at = utcnow() - timedelta(minutes=61)
        db.add(conversation)
        db.commit()
    assert store.recent_messages(cid, ttl_minutes=60) is None  # expired: start afresh


def test_a_turn_and_its_review_item_are_written_together(engine: Engine) -> None:
    store = ChatStore(engine)
    cid = store.new_conversation_id()
    store.record(
        exchange(
            store,
            cid,
            True,
            status="escalated",
            route="not_covered",
            reference="TH-2222-3333-4444",
            review_item=item("TH-2222-3333-4444"),
        )
    )
    stored = store.review_item("TH-2222-3333-4444")
    assert stored is not None and stored.route == "low_confidence"
    assert store.transcript(cid)[1].reference == "TH-2222-3333-4444"


def test_answer_for_reference_maps_review_statuses(engine: Engine) -> None:
    store = ChatStore(engine)
    with Session(engine) as db:
        approved = ApprovedAnswer(
            question="q",
            answer="Approved text.",
            approved_by="a@x",
            sources=[
                {
                    "title": "T",
                    "url": "https://x/p",
                    "section": "S",
                    "page": "p.md",
                    "content_hash": "h",
                }
            ],
        )
        db.add(approved)
        db.commit()
        db.refresh(approved)
        db.add(item("TH-AAAA-AAAA-AAAA"))
        db.add(item("TH-BBBB-BBBB-BBBB", status="claimed"))
        db.add(
            item(
                "TH-CCCC-CCCC-CCCC",
                status="approved",
                final_answer="Yes.",
                approved_answer_id=approved.id,
            )
        )
        db.add(item("TH-DDDD-DDDD-DDDD", status="edited", final_answer="Edited."))
        db.add(item("TH-EEEE-EEEE-EEEE", status="rejected", final_answer="Please call us."))
        db.add(item("TH-FFFF-FFFF-FFFF", status="rejected"))
        db.commit()
    assert store.answer_for_reference("TH-2222-2222-2222") is None
    view = {
        ref: store.answer_for_reference(ref)
        for ref in [
            "TH-AAAA-AAAA-AAAA",
            "TH-BBBB-BBBB-BBBB",
            "TH-CCCC-CCCC-CCCC",
            "TH-DDDD-DDDD-DDDD",
            "TH-EEEE-EEEE-EEEE",
            "TH-FFFF-FFFF-FFFF",
        ]
    }
    statuses = {ref: (v["status"], v["reply"]) for ref, v in view.items() if v}
    assert statuses == {
        "TH-AAAA-AAAA-AAAA": ("pending", None),
        "TH-BBBB-BBBB-BBBB": ("pending", None),
        "TH-CCCC-CCCC-CCCC": ("answered", "Yes."),
        "TH-DDDD-DDDD-DDDD": ("answered", "Edited."),
        "TH-EEEE-EEEE-EEEE": ("closed", "Please call us."),
        "TH-FFFF-FFFF-FFFF": ("closed", None),
    }
    answered = view["TH-CCCC-CCCC-CCCC"]
    assert answered is not None
    assert answered["sources"] == [
        {"title": "T", "url": "https://x/p", "section": "S", "page": "p.md"}
    ]
    assert answered["updated_at"].tzinfo is not None
    assert set(answered) == {"reference", "status", "reply", "sources", "updated_at"}


def test_approved_answers_in_use_leave_out_retired_and_expired(engine: Engine) -> None:
    store = ChatStore(engine)
    now = utcnow()
    with Session(engine) as db:
        for name, extra in [
            ("live", {}),
            ("future expiry", {"expires_at": now + timedelta(days=3)}),
            ("expired", {"expires_at": now - timedelta(minutes=1)}),
            ("retired", {"retired_at": now}),
        ]:
            db.add(
                ApprovedAnswer(
                    question=name,
                    answer=name,
                    approved_by="a@x",
                    question_embedding=[1.0, 0.0],
                    **extra,
                )
            )
        db.commit()
    assert sorted(c.question for c in store.approved_answers()) == ["future expiry", "live"]
    live = next(c for c in store.approved_answers() if c.question == "live")
    store.record_approved_hit(live.id)
    store.record_approved_hit(live.id)
    with Session(engine) as db:
        row = db.exec(select(ApprovedAnswer).where(ApprovedAnswer.id == live.id)).one()
        assert row.hit_count == 2 and row.last_hit_at is not None
