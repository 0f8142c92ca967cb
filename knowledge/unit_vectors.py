"""Unit vectors on disk: one embedding per sentence, list item and table row of every chunk.

Kept in one `.npz` file per manifest version (float16, about 0.8 KB a unit), written before the
manifest switches to it, like the BM25 folder. A chunk's rows follow `knowledge.units.split_units`
of its text; chunk ids change whenever a page's content does, so a vector stored under a chunk
id stays right for as long as that id is in the manifest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

__all__ = ["UnitVectors"]


class UnitVectors:
    """chunk id -> matrix (units x dimension) of unit embeddings."""

    def __init__(self, rows: Mapping[str, np.ndarray] | None = None) -> None:
        self._rows: dict[str, np.ndarray] = dict(rows or {})

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, chunk_id: object) -> bool:
        return chunk_id in self._rows

    def get(self, chunk_id: str) -> np.ndarray | None:
        """The chunk's unit vectors as float32, or None when it has none stored."""
        rows = self._rows.get(chunk_id)
        return None if rows is None else rows.astype(np.float32)

    def raw(self, chunk_id: str) -> np.ndarray | None:
        return self._rows.get(chunk_id)

    def subset(self, chunk_ids: Iterable[str]) -> UnitVectors:
        return UnitVectors({c: self._rows[c] for c in chunk_ids if c in self._rows})

    def update(self, rows: Mapping[str, np.ndarray]) -> None:
        for chunk_id, matrix in rows.items():
            self._rows[chunk_id] = np.asarray(matrix, dtype=np.float16)

    def save(self, path: Path) -> None:
        """Write atomically (temporary file, then rename)."""
        ids = sorted(self._rows)
        counts = np.array([len(self._rows[c]) for c in ids], dtype=np.int64)
        dims = {m.shape[1] for m in self._rows.values() if m.ndim == 2 and len(m)}
        dim = dims.pop() if dims else 0
        matrix = (
            np.concatenate([self._rows[c].reshape(-1, dim) for c in ids]).astype(np.float16)
            if ids and dim
            else np.zeros((0, dim), dtype=np.float16)
        )
        tmp = path.with_name(f".{path.name}.tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, chunk_ids=np.array(ids, dtype=str), counts=counts, vectors=matrix)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> UnitVectors:
        with np.load(path, allow_pickle=False) as data:
            ids = [str(c) for c in data["chunk_ids"]]
            counts = data["counts"]
            vectors = data["vectors"]
        rows: dict[str, np.ndarray] = {}
        start = 0
        for chunk_id, count in zip(ids, counts, strict=True):
            rows[chunk_id] = vectors[start : start + int(count)]
            start += int(count)
        return cls(rows)
