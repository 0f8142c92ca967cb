"""The two indexes over the same chunks, and an embedding cache.

Dense: ChromaDB (embedded PersistentClient under the knowledge directory, or a Chroma server),
always with our own embedder (Chroma's default one downloads a model and fails offline) and
cosine space. Keyword: BM25 with bm25s, saved to a fresh folder each build so the manifest can
switch to it atomically. Cache: chunk vectors keyed by the sha256 of the embedded text, so
rebuilding a knowledge base of the same pages elsewhere costs no model time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

__all__ = ["Bm25Index", "DenseIndex", "EmbeddingCache", "make_chroma_client", "tokenize"]

log = logging.getLogger(__name__)

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves""".split()
)
# "not", "no", "how", "when", "where", "who" carry meaning in council questions only weakly;
# they stay stopwords because BM25 would otherwise match every FAQ with "How do I".


def _stem(word: str) -> str:
    """A light English stemmer (plurals, -ing, -ed, -ly): enough for BM25 on short pages."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, repl in (
        ("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"),
        ("ing", ""), ("edly", ""), ("ed", ""), ("ly", ""), ("es", "e"), ("s", ""),
    ):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            stem = word[: len(word) - len(suffix)] + repl
            if suffix in ("ing", "ed") and len(stem) > 3 and stem[-1] == stem[-2]:
                stem = stem[:-1]  # "stopped" -> "stop", "fitting" -> "fit"
            return stem
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-worded, lightly stemmed word tokens (same for pages and queries)."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return [_stem(w) for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


# --- embedding cache ---------------------------------------------------------------------------


class EmbeddingCache:
    """sha256(model + text) -> float32 vector, in one SQLite file shared by many knowledge bases."""

    def __init__(self, path: Path, model_key: str) -> None:
        path = Path(path)
        if path.suffix not in (".sqlite", ".sqlite3", ".db"):
            path = path / "embeddings.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.model_key = model_key
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_key}\0{text}".encode()).hexdigest()

    def get_many(self, texts: Sequence[str]) -> dict[int, np.ndarray]:
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock, self._connect() as db:
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                marks = ",".join("?" * len(batch))
                rows = db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", batch)
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return {i: found[k] for i, k in enumerate(keys) if k in found}

    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (self._key(t), np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        with self._lock, self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)", rows)


# --- dense: ChromaDB ---------------------------------------------------------------------------

# Chroma's defaults (ef 100, 16 neighbours) missed the exact best match for some FAQ questions
# on the 3,000-chunk corpus (recall@50 0.94); a wider graph and search cost well under 1 ms here.
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 200, "max_neighbors": 32}


def make_chroma_client(directory: Path, chroma_url: str | None) -> Any:
    """A Chroma server client when chroma_url is given, else an embedded one under directory."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        parsed = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        ssl = parsed.scheme == "https"
        port = parsed.port or (443 if ssl else 8000)
        return chromadb.HttpClient(
            host=parsed.hostname or "localhost", port=port, ssl=ssl, settings=settings
        )
    path = Path(directory) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class DenseIndex:
    """One Chroma collection of chunk vectors (documents and metadata kept for other readers)."""

    def __init__(self, client: Any, name: str, embedding_function: Any) -> None:
        self.collection = client.get_or_create_collection(
            name=name,
            embedding_function=embedding_function,
            configuration={"hnsw": HNSW},
        )
        if self.collection.configuration.get("hnsw", {}).get("ef_search") != HNSW["ef_search"]:
            # collections made before this setting: search wider (query-time option)
            self.collection.modify(configuration={"hnsw": {"ef_search": HNSW["ef_search"]}})

    def ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def existing(self, ids: Sequence[str], documents: Sequence[str]) -> set[str]:
        """The ids already stored with exactly these documents (left by an interrupted run)."""
        wanted = dict(zip(ids, documents, strict=True))
        found: set[str] = set()
        for start in range(0, len(ids), 1000):
            batch = list(ids[start : start + 1000])
            got = self.collection.get(ids=batch, include=["documents"])
            for chunk_id, doc in zip(got["ids"], got["documents"] or [], strict=False):
                if wanted.get(chunk_id) == doc:
                    found.add(chunk_id)
        return found

    def add(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        documents: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        if len(ids):
            self.collection.upsert(
                ids=list(ids),
                embeddings=np.asarray(vectors, dtype=np.float32),
                documents=list(documents),
                metadatas=list(metadatas),
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), 1000):
            self.collection.delete(ids=list(ids[start : start + 1000]))

    def query(
        self, vector: np.ndarray, n: int, service_area: str | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first."""
        count = self.collection.count()
        if count == 0:
            return []
        result = self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=min(n, count),
            where={"service_area": service_area} if service_area else None,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]


# --- keyword: BM25 -----------------------------------------------------------------------------


class Bm25Index:
    """bm25s over chunk texts, row i = chunk_ids[i]."""

    def __init__(self, model: Any | None, chunk_ids: list[str]) -> None:
        self.model = model
        self.chunk_ids = chunk_ids

    @classmethod
    def build(cls, chunk_ids: list[str], texts: Sequence[str]) -> Bm25Index:
        import bm25s

        if not chunk_ids:
            return cls(None, [])
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
        model = bm25s.BM25(k1=1.2, b=0.75)
        # Every document gets at least one token so rows stay aligned with chunk ids.
        corpus = [tokenize(t) or ["\u2205"] for t in texts]
        model.index(corpus, show_progress=False)
        return cls(model, chunk_ids)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.save(str(folder), show_progress=False)
        # The row order is saved with the model: rows must map to the same chunks when reopened.
        (folder / "chunk_ids.json").write_text(json.dumps(self.chunk_ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, chunk_ids: list[str]) -> Bm25Index:
        import bm25s

        saved = folder / "chunk_ids.json"
        if saved.exists():
            chunk_ids = json.loads(saved.read_text(encoding="utf-8"))
        if not chunk_ids:
            return cls(None, [])
        model = bm25s.BM25.load(str(folder), show_progress=False, mmap=False)
        return cls(model, chunk_ids)

    def query(self, text: str, n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) best first, only rows with a positive score."""
        if self.model is None:
            return []
        vocab = self.model.vocab_dict
        tokens = [t for t in tokenize(text) if t in vocab]
        if not tokens:
            return []
        scores = self.model.get_scores(tokens)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
