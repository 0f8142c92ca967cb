"""The knowledge base: ingest a council's pages, retrieve the sections that answer a question.

On disk (all under `directory`): `manifest.json` (pages, their content hashes and chunks; the
single source of truth), `bm25-<id>/` (the BM25 index the manifest names), `units-<id>.npz` (one
vector per sentence, list item and table row of every chunk, for composing answers without
embedding page text at question time) and `chroma/` (the dense index, unless a Chroma server is
used). An ingest adds new vectors first, then switches
BM25 and the manifest atomically, then deletes old vectors, so an interrupted ingest leaves the
previous knowledge base answering; vectors the manifest does not know are ignored at query time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from knowledge.catalogue import PageCatalogue
from knowledge.chunking import chunk_page, context_text
from knowledge.embeddings import MiniLMEmbedder
from knowledge.indexes import (
    Bm25Index,
    DenseIndex,
    EmbeddingCache,
    make_chroma_client,
    remove_folder,
)
from knowledge.loader import LoadFailure, find_pages, load_page
from knowledge.loader import content_hash as hash_bytes
from knowledge.retrieval import FusionSettings, HybridRetriever, fuse, section_key
from knowledge.sections import SectionHit, find_sections, get_section
from knowledge.types import Chunk, IngestSummary, Page, RetrievedChunk
from knowledge.unit_vectors import UnitVectors
from knowledge.units import unit_texts
from knowledge.vocabulary import expand_query

__all__ = ["KnowledgeBase"]

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"
LAST_INGEST = "last-ingest.json"
FORMAT = 1
EMBED_BATCH = 64
# A section longer than one chunk is retrieved whole (its chunks in reading order, at most this
# many around the chunk that matched): the fact asked for is often in the part of a long list
# or FAQ answer that did not match the question best.
SECTION_CHUNKS = 4
REFRESH_EVERY_S = 3.0
Progress = Callable[[int, int, str], None]
PageKey = tuple[str, str]  # (root, page_id)


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """One ingest at a time per knowledge base, across processes: a second `townhall ingest`
    waits, instead of dropping the first one's new vectors as unknown."""
    import fcntl

    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _same_section(a: Chunk, b: Chunk) -> bool:
    return section_key(a) == section_key(b) and a.anchor == b.anchor


class _State:
    """An immutable snapshot of the manifest and BM25 index that queries read."""

    def __init__(
        self,
        pages: dict[tuple[str, str], dict[str, Any]],
        bm25: Bm25Index | None,
        units: UnitVectors | None = None,
    ):
        self.pages = pages  # (root, page_id) -> page record (with "chunks": [chunk dicts])
        self.chunks: dict[str, Chunk] = {}
        for record in pages.values():
            for c in record["chunks"]:
                fields = {**c, "heading_path": tuple(c["heading_path"])}
                self.chunks[c["chunk_id"]] = Chunk(**fields)
        self.order = [cid for r in pages.values() for cid in (c["chunk_id"] for c in r["chunks"])]
        # chunk id -> the chunks of its section, in reading order (runs of consecutive chunks
        # with the same heading path and anchor: two "Contact us" sections stay two)
        self.section_of: dict[str, list[str]] = {}
        for record in pages.values():
            run: list[str] = []
            for c in record["chunks"]:
                chunk = self.chunks[c["chunk_id"]]
                if run and _same_section(self.chunks[run[-1]], chunk):
                    run.append(chunk.chunk_id)
                else:
                    run = [chunk.chunk_id]
                self.section_of[chunk.chunk_id] = run
        self.bm25 = bm25
        self.units = units or UnitVectors()
        self._masks: dict[str, np.ndarray] = {}
        self._whole: dict[tuple[str, ...], tuple[Chunk, np.ndarray | None]] = {}
        self.catalogue: PageCatalogue | None = None

    def whole_section(self, run: tuple[str, ...]) -> tuple[Chunk, np.ndarray | None]:
        """Consecutive chunks of one section as one chunk, with their unit vectors joined (None
        unless every chunk has them and they line up with the units); built once per snapshot."""
        if run not in self._whole:
            chunks = [self.chunks[cid] for cid in run]
            merged = replace(
                chunks[0],
                chunk_id=f"{run[0]}+{len(run)}",  # its own id: caches keyed by id see its text
                text="\n".join(c.text for c in chunks),
            )
            vectors = [v for v in (self.units.get(cid) for cid in run) if v is not None]
            joined = np.vstack(vectors) if len(vectors) == len(run) else None
            if joined is not None and len(joined) != len(unit_texts(merged.text)):
                joined = None  # never misaligned vectors: the units' similarity is then unknown
            self._whole[run] = (merged, joined)
        return self._whole[run]

    def area_mask(self, service_area: str) -> np.ndarray:
        if service_area not in self._masks:
            self._masks[service_area] = np.array(
                [self.chunks[c].service_area == service_area for c in self.order], dtype=bool
            )
        return self._masks[service_area]


class KnowledgeBase:
    """Pages from folders of Markdown/HTML, searchable by BM25 and dense vectors together.

    embedding_cache: a folder (or .sqlite3 file) of chunk vectors shared between knowledge
    bases of the same pages, so a rebuild elsewhere needs no model time.
    """

    def __init__(
        self,
        directory: Path,
        embedder: MiniLMEmbedder,
        *,
        chroma_url: str | None = None,
        collection: str = "townhall",
        embedding_cache: Path | None = None,
        fusion: FusionSettings | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder
        self.fusion = fusion or FusionSettings()
        client = make_chroma_client(self.directory, chroma_url)
        self._dense = DenseIndex(client, collection, embedder)
        model_key = f"{embedder.name()}:{getattr(embedder, 'weights_sha256', '')}"
        self._cache = EmbeddingCache(embedding_cache, model_key) if embedding_cache else None
        self._ingest_lock = threading.Lock()
        self.last_summary: IngestSummary | None = None  # of the latest ingest in this process
        self._manifest_mtime: int | None = None
        self._checked_at = 0.0
        self._state = self._load()

    # --- reading the manifest ----------------------------------------------------------------

    @property
    def manifest_path(self) -> Path:
        return self.directory / MANIFEST

    def _load(self) -> _State:
        path = self.manifest_path
        try:
            stat = path.stat()
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return _State({}, None)
        if data.get("format") != FORMAT:
            raise ValueError(f"{path} has an unknown format; re-ingest into a new folder")
        pages = {(p["root"], p["page_id"]): p for p in data["pages"]}
        state = _State(pages, None)
        state.bm25 = Bm25Index.load(self.directory / data["bm25"], state.order)
        if set(state.bm25.chunk_ids) == set(state.order):
            state.order = list(state.bm25.chunk_ids)  # masks must follow the BM25 rows
        if data.get("units"):  # manifests written before unit vectors have none (backfilled)
            state.units = UnitVectors.load(self.directory / data["units"])
        self._manifest_mtime = stat.st_mtime_ns
        return state

    def refresh(self, force: bool = False) -> bool:
        """Reload when another process re-ingested (the manifest changed); True if reloaded."""
        now = time.monotonic()
        if not force and now - self._checked_at < REFRESH_EVERY_S:
            return False
        self._checked_at = now
        try:
            mtime = self.manifest_path.stat().st_mtime_ns
        except FileNotFoundError:
            mtime = None
        if mtime == self._manifest_mtime:
            return False
        try:
            self._state = self._load()
        except (OSError, ValueError) as exc:  # mid-switch by another process: try again later
            log.warning("knowledge base not reloaded yet (%s); still using the previous one", exc)
            return False
        return True

    # --- what is in it ----------------------------------------------------------------------

    def page_hashes(self) -> dict[str, str]:
        """page_id -> content hash, for telling whether an approved answer's sources changed."""
        self.refresh()
        return {pid: r["content_hash"] for (_, pid), r in sorted(self._state.pages.items())}

    def pages(self) -> list[Page]:
        """Every page's metadata (bodies are not kept: "")."""
        self.refresh()
        fields = ("page_id", "root", "title", "url", "site_path", "service_area", "updated")
        return [
            Page(
                **{f: r[f] for f in fields},
                body="",
                content_hash=r["content_hash"],
                metadata=r.get("metadata") or {},
            )  # fmt: skip
            for _, r in sorted(self._state.pages.items())
        ]

    def catalogue(self) -> PageCatalogue:
        """Each page's address, last-updated date and section heading ids (for source links)."""
        self.refresh()
        state = self._state
        if state.catalogue is None:
            state.catalogue = PageCatalogue.from_records(state.pages)
        return state.catalogue

    def public_terms(self) -> tuple[str, ...]:
        """Phone numbers, emails and organisation names printed on the pages, and the words
        they use in lower case (public, so the redactor keeps them). The same tuple object
        until the pages change."""
        self.refresh()
        state = self._state
        cached = getattr(state, "public_terms", None)
        if cached is None:
            from knowledge.public_terms import all_public_terms

            cached = all_public_terms(c.text for c in state.chunks.values())
            state.public_terms = cached  # type: ignore[attr-defined]
        return cached

    def chunk_count(self) -> int:
        return len(self._state.chunks)

    def vector_count(self) -> int:
        """Vectors in the dense index; asks the vector store, so it raises when that is down."""
        return self._dense.collection.count()

    @property
    def fingerprint(self) -> str:
        """Changes whenever any page is added, changed or removed."""
        digest = hashlib.sha256()
        pairs = sorted((pid, r["content_hash"]) for (_, pid), r in self._state.pages.items())
        for page_id, content in pairs:
            digest.update(f"{page_id}\0{content}\n".encode())
        return digest.hexdigest()

    # --- ingest -----------------------------------------------------------------------------

    def ingest(
        self, paths: Sequence[Path], *, prune: bool = False, progress: Progress | None = None
    ) -> IngestSummary:
        """Add or update the pages under each path; with prune, drop that path's vanished pages."""

        def read(pages: dict[PageKey, dict[str, Any]], summary: IngestSummary, report: Progress):
            new_chunks: list[Chunk] = []
            for path in paths:
                new_chunks += self._read(Path(path), pages, prune, summary, report)
            return new_chunks

        return self._ingest(read, progress)

    def ingest_pages(
        self,
        root: str,
        pages: Sequence[Page],
        *,
        unchanged: Collection[str] = (),
        keep: Collection[str] = (),
        failed: Sequence[tuple[str, str]] = (),
        gone: Collection[str] = (),
        prune: bool = False,
        progress: Progress | None = None,
    ) -> IngestSummary:
        """The same incremental ingest for pages that did not come from files (a website).

        root names the source (a site's address); pages are the ones read this time; unchanged
        are page ids known unchanged without reading them (an HTTP 304); keep are page ids that
        could not be read this time and keep their previous copy; gone are page ids the source
        says no longer exist (404/410). With prune, every other page of root goes too.
        """

        def read(known: dict[PageKey, dict[str, Any]], summary: IngestSummary, report: Progress):
            summary.failed.extend(failed)
            summary.unchanged += sum(1 for pid in unchanged if (root, pid) in known)
            new_chunks: list[Chunk] = []
            for done, page in enumerate(pages, start=1):
                report(done - 1, len(pages), "reading pages")
                new_chunks += self._merge(known, (root, page.page_id), page, summary, page.page_id)
            report(len(pages), len(pages), "reading pages")
            seen = {page.page_id for page in pages} | set(unchanged) | set(keep)
            for key in [k for k in known if k[0] == root]:
                if key[1] in gone or (prune and key[1] not in seen):
                    del known[key]
                    summary.removed += 1
            return new_chunks

        return self._ingest(read, progress)

    def _ingest(
        self,
        read: Callable[[dict[PageKey, dict[str, Any]], IngestSummary, Progress], list[Chunk]],
        progress: Progress | None,
    ) -> IngestSummary:
        started = time.perf_counter()
        report = progress or (lambda done, total, stage: None)
        with self._ingest_lock, _exclusive(self.directory / ".ingest.lock"):
            self.refresh(force=True)
            summary = IngestSummary()
            pages = dict(self._state.pages)
            new_chunks = read(pages, summary, report)
            changed = summary.added or summary.changed or summary.removed
            summary.chunks_embedded = self._embed_and_store(new_chunks, report)
            # unit vectors of new chunks, and of any kept chunk that has none yet
            after = _State(pages, None)
            missing = [after.chunks[c] for c in after.order if c not in self._state.units]
            unit_rows = self._embed_units(missing, report)
            if changed or unit_rows:
                report(0, 1, "indexing")
                self._commit(pages, unit_rows)
                report(1, 1, "indexing")
            self._drop_unknown_vectors()
        summary.chunks = self.chunk_count()
        summary.seconds = time.perf_counter() - started
        self.last_summary = summary
        self._record_result(summary)
        return summary

    def _record_result(self, summary: IngestSummary) -> None:
        """The latest ingest's counts in `last-ingest.json`, for monitoring (no page content)."""
        data = {**asdict(summary), "failed": len(summary.failed), "finished_at": time.time()}
        tmp = self.directory / ".last-ingest.json.tmp"
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.directory / LAST_INGEST)

    def _read(
        self,
        path: Path,
        pages: dict[PageKey, dict[str, Any]],
        prune: bool,
        summary: IngestSummary,
        report: Progress,
    ) -> list[Chunk]:
        root, sources = find_pages(path)
        seen: set[PageKey] = set()
        new_chunks: list[Chunk] = []
        for done, source in enumerate(sources, start=1):
            report(done - 1, len(sources), f"reading {path.name}")
            key = (str(root), source.page_id)
            seen.add(key)
            try:
                raw = source.path.read_bytes()
            except OSError as exc:
                summary.failed.append((str(source.path), str(exc)))
                continue
            old = pages.get(key)
            if old is not None and old["content_hash"] == hash_bytes(raw):
                summary.unchanged += 1
                continue
            page = load_page(source, raw)
            if isinstance(page, LoadFailure):
                summary.failed.append((page.path, page.reason))
                continue
            new_chunks += self._merge(pages, key, page, summary, str(source.path))
        report(len(sources), len(sources), f"reading {path.name}")
        if prune and Path(path).is_dir():
            for key in [k for k in pages if k[0] == str(root) and k not in seen]:
                del pages[key]
                summary.removed += 1
        return new_chunks

    @staticmethod
    def _merge(
        pages: dict[PageKey, dict[str, Any]],
        key: PageKey,
        page: Page,
        summary: IngestSummary,
        where: str,
    ) -> list[Chunk]:
        """Put a freshly read page into pages; its chunks when it is new or changed."""
        old = pages.get(key)
        if old is not None and old["content_hash"] == page.content_hash:
            summary.unchanged += 1
            return []
        chunks = chunk_page(page)
        if not chunks:
            summary.failed.append((where, "no text to index"))
            return []
        record = {k: v for k, v in asdict(page).items() if k != "body"}
        record["chunks"] = [{**asdict(c), "heading_path": list(c.heading_path)} for c in chunks]
        pages[key] = record
        if old is None:
            summary.added += 1
        else:
            summary.changed += 1
        return chunks

    def _embed_and_store(self, chunks: list[Chunk], report: Progress) -> int:
        """Put vectors for chunks into Chroma; returns how many the model had to embed."""
        if not chunks:
            return 0
        texts = [context_text(c) for c in chunks]
        # vectors an interrupted run already stored for identical chunks need no new work
        stored = self._dense.existing([c.chunk_id for c in chunks], [c.text for c in chunks])
        todo = [i for i, c in enumerate(chunks) if c.chunk_id not in stored]
        todo.sort(key=lambda i: len(texts[i]))  # similar lengths per batch: least padding
        cached = self._cache.get_many([texts[i] for i in todo]) if self._cache else {}
        embedded = 0
        total = len(todo)
        report(0, total, "embedding")
        for start in range(0, total, EMBED_BATCH):
            batch = todo[start : start + EMBED_BATCH]
            missing = [n for n, _ in enumerate(batch) if start + n not in cached]
            vectors = np.zeros((len(batch), self.embedder.dimension), dtype=np.float32)
            for n in range(len(batch)):
                if start + n in cached:
                    vectors[n] = cached[start + n]
            if missing:
                fresh = self.embedder.embed([texts[batch[n]] for n in missing])
                vectors[missing] = fresh
                embedded += len(missing)
                if self._cache:
                    self._cache.put_many([texts[batch[n]] for n in missing], fresh)
            self._dense.add(
                [chunks[i].chunk_id for i in batch],
                vectors,
                [chunks[i].text for i in batch],
                [_chroma_metadata(chunks[i]) for i in batch],
            )
            report(min(start + EMBED_BATCH, total), total, "embedding")
        return embedded

    def _embed_units(self, chunks: list[Chunk], report: Progress) -> dict[str, np.ndarray]:
        """Unit vectors (one per sentence, list item, table row) of chunks, by chunk id; the
        shared embedding cache saves the model time for units seen before."""
        per_chunk = [unit_texts(c.text) for c in chunks]
        texts = sorted({t for ts in per_chunk for t in ts}, key=len)
        if not texts:
            return {c.chunk_id: np.zeros((0, self.embedder.dimension)) for c in chunks}
        cached = self._cache.get_many(texts) if self._cache else {}
        vectors: dict[str, np.ndarray] = {texts[i]: v for i, v in cached.items()}
        todo = [t for t in texts if t not in vectors]
        report(0, len(todo), "embedding sentences")
        for start in range(0, len(todo), EMBED_BATCH):
            batch = todo[start : start + EMBED_BATCH]
            fresh = np.asarray(self.embedder.embed(batch), dtype=np.float32)
            vectors.update(zip(batch, fresh, strict=True))
            if self._cache:
                self._cache.put_many(batch, fresh)
            report(min(start + EMBED_BATCH, len(todo)), len(todo), "embedding sentences")
        dim = self.embedder.dimension
        return {
            c.chunk_id: np.array([vectors[t] for t in ts], dtype=np.float32).reshape(-1, dim)
            for c, ts in zip(chunks, per_chunk, strict=True)
        }

    def _commit(
        self, pages: dict[PageKey, dict[str, Any]], unit_rows: dict[str, np.ndarray]
    ) -> None:
        """Build BM25 and the unit vectors into new files, then switch the manifest to them in
        one rename."""
        state = _State(pages, None)
        texts = [context_text(state.chunks[cid]) for cid in state.order]
        state.bm25 = Bm25Index.build(state.order, texts)
        version = uuid.uuid4().hex[:12]
        folder = f"bm25-{version}"
        state.bm25.save(self.directory / folder)
        state.units = self._state.units.subset(state.order)
        state.units.update(unit_rows)
        units_file = f"units-{version}.npz"
        state.units.save(self.directory / units_file)
        data = {
            "format": FORMAT,
            "bm25": folder,
            "units": units_file,
            "pages": [pages[k] for k in sorted(pages)],
        }
        tmp = self.directory / f".{MANIFEST}.{uuid.uuid4().hex[:8]}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.manifest_path)
        self._manifest_mtime = self.manifest_path.stat().st_mtime_ns
        self._state = state
        for old in self.directory.glob("bm25-*"):
            if old.name != folder:
                remove_folder(old)
        for old in self.directory.glob("units-*.npz"):
            if old.name != units_file:
                old.unlink(missing_ok=True)

    def _drop_unknown_vectors(self) -> None:
        """Delete vectors the manifest does not list (replaced pages, interrupted runs)."""
        unknown = sorted(self._dense.ids() - set(self._state.chunks))
        if unknown:
            self._dense.delete(unknown)

    # --- retrieve ---------------------------------------------------------------------------

    def retrieve(
        self,
        query: str,
        k: int = 5,
        *,
        service_area: str | None = None,
        mode: Literal["hybrid", "bm25", "dense"] = "hybrid",
        query_embedding: np.ndarray | None = None,
    ) -> list[RetrievedChunk]:
        """The k best sections for query, best first (one chunk per section). A resident's word
        for a council thing ("the tip") is searched with the council's wording added
        (`knowledge/vocabulary.yaml`); the query's embedding is then that of the longer text."""
        if mode not in ("hybrid", "bm25", "dense"):
            raise ValueError(f"mode must be hybrid, bm25 or dense, not {mode!r}")
        self.refresh()
        state = self._state
        if k <= 0 or not state.chunks or not (query or "").strip():
            return []
        search = expand_query(query)
        if search != query:
            query, query_embedding = search, None
        depth = max(self.fusion.candidates, 4 * k)
        bm25_hits: list[tuple[str, float]] = []
        dense_hits: list[tuple[str, float]] = []
        if mode != "dense" and state.bm25 is not None:
            mask = state.area_mask(service_area) if service_area else None
            bm25_hits = state.bm25.query(query, depth, mask)
        if mode != "bm25":
            vector = query_embedding
            if vector is None:
                vector = self.embedder.embed([query])[0]
            dense_hits = self._dense.query(np.asarray(vector).reshape(-1), depth, service_area)
        found = fuse(bm25_hits, dense_hits, state.chunks.get, k, mode, self.fusion)
        for rc in found:
            _whole_section(state, rc)
        return found

    def find_sections(self, query: str, limit: int = 10) -> list[SectionHit]:
        """Sections whose page title or headings match `query` (staff choosing sources)."""
        self.refresh()
        return find_sections(self._state.chunks.values(), query, limit)

    def section(self, page_id: str, section: str) -> SectionHit | None:
        """One page section as it is now, or None when it is gone."""
        self.refresh()
        return get_section(self._state.chunks.values(), page_id, section)

    def retriever(self, k: int = 5, **kw: Any) -> HybridRetriever:
        """A LangChain retriever over this knowledge base (kw: service_area, mode)."""
        return HybridRetriever(knowledge=self, k=k, **kw)


def _chroma_metadata(chunk: Chunk) -> dict[str, Any]:
    meta = {
        "page": chunk.page_id,
        "title": chunk.title,
        "section": chunk.section,
        "heading_path": " > ".join(chunk.heading_path),
        "url": chunk.url,
        "section_url": chunk.section_url,
        "service_area": chunk.service_area,
        "content_hash": chunk.content_hash,
    }
    return {k: v for k, v in meta.items() if v is not None}


def _whole_section(state: _State, rc: RetrievedChunk) -> None:
    """Give rc the text and unit vectors of its whole section (at most SECTION_CHUNKS chunks
    around the one that matched); a one-chunk section keeps its chunk as it is."""
    run = state.section_of.get(rc.chunk.chunk_id, [rc.chunk.chunk_id])
    if len(run) > SECTION_CHUNKS:
        at = run.index(rc.chunk.chunk_id)
        start = max(0, min(at - SECTION_CHUNKS // 2, len(run) - SECTION_CHUNKS))
        run = run[start : start + SECTION_CHUNKS]
    if len(run) == 1:
        rc.unit_vectors = state.units.get(rc.chunk.chunk_id)
    else:
        rc.chunk, rc.unit_vectors = state.whole_section(tuple(run))
