"""The evaluation harness: datasets in, the resident pipeline run on every case, numbers out.

Public surface (the `townhall eval` command composes these; nothing here reads the environment):
`load_datasets`, `run`, `summarise`, `load_gates` / `check_gates`, `compare_runs`.
"""

from __future__ import annotations

from evals.compare import compare_runs
from evals.datasets import DatasetError, QuestionCase, RedactionCase, load_datasets
from evals.gates import GateFileError, check_gates, load_gates
from evals.metrics import summarise
from evals.runner import RunOutput, run

__all__ = [
    "DatasetError",
    "GateFileError",
    "QuestionCase",
    "RedactionCase",
    "RunOutput",
    "check_gates",
    "compare_runs",
    "load_datasets",
    "load_gates",
    "run",
    "summarise",
]
