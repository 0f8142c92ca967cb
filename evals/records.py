"""Evaluation runs, kept so later runs can be compared with earlier ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from chatbot.records import utcnow


class EvalRun(SQLModel, table=True):
    __tablename__ = "eval_run"

    id: str = Field(primary_key=True, max_length=64)  # run_id
    created_at: datetime = Field(default_factory=utcnow, index=True)
    knowledge_paths: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    datasets: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    code_version: str = Field(default="", max_length=64)
    corpus_hash: str = Field(default="", max_length=64)
    summary: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    gates_passed: bool | None = None
    out_dir: str = Field(default="", sa_column=Column(Text))
