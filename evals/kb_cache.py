"""Knowledge bases for evaluation runs: built apart from the served one, reused by content hash.

The hash is taken over the knowledge paths' file bytes (and relative names) before anything is
ingested, so a second run on the same content opens the finished index and skips ingestion
entirely. A build records itself in `build.json` only once ingestion has finished, so a build
that was interrupted, or one made by different knowledge-layer code, is rebuilt from scratch.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MARKER = "build.json"


def _files(root: Path) -> list[tuple[str, Path]]:
    if root.is_file():
        return [(root.name, root)]
    out = []
    for p in root.rglob("*"):
        rel = p.relative_to(root)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            out.append((rel.as_posix(), p))
    return sorted(out)


def corpus_hash(paths: Sequence[Path]) -> str:
    """sha256 over each path's files: their relative names and the sha256 of their bytes."""
    digest = hashlib.sha256()
    for index, root in enumerate(paths):
        digest.update(f"path {index}\n".encode())
        for rel, path in _files(Path(root)):
            digest.update(rel.encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def knowledge_code_version() -> str:
    """A hash of the knowledge layer's source: a new chunker or index format means a new build."""
    import knowledge.base  # its file, not the package's: a package may resolve as a namespace

    digest = hashlib.sha256()
    for path in sorted(Path(knowledge.base.__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One build at a time per content hash (two runs started together share the result)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_or_reuse(
    paths: Sequence[Path],
    base_dir: Path,
    make_kb: Callable[[Path], Any],
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[Any, str, bool, Any]:
    """(knowledge base, corpus hash, reused?, ingest summary or None) for these paths.

    `make_kb(directory)` opens a KnowledgeBase in that directory (the caller decides how).
    """
    content = corpus_hash(paths)
    # one folder per content and knowledge code: two checkouts of different code sharing a
    # cache (a test cache, a second worktree) never rebuild each other's index under a reader
    name = f"{content}-{knowledge_code_version()}"
    with _locked(Path(base_dir) / f"{name}.lock"):
        return _build_or_reuse(paths, Path(base_dir) / name, content, make_kb, progress)


def _build_or_reuse(
    paths: Sequence[Path],
    directory: Path,
    content: str,
    make_kb: Callable[[Path], Any],
    progress: Callable[[int, int, str], None] | None,
) -> tuple[Any, str, bool, Any]:
    marker = directory / MARKER
    code = knowledge_code_version()
    if marker.is_file():
        try:
            recorded = json.loads(marker.read_text(encoding="utf-8"))
        except ValueError:
            recorded = {}
        if recorded.get("knowledge_code") == code and recorded.get("corpus_hash") == content:
            return make_kb(directory), content, True, None
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    kb = make_kb(directory)
    summary = kb.ingest([Path(p) for p in paths], progress=progress)
    marker.write_text(
        json.dumps(
            {
                "corpus_hash": content,
                "knowledge_code": code,
                "paths": [str(Path(p).resolve()) for p in paths],
                "pages": getattr(summary, "added", None),
                "chunks": getattr(summary, "chunks", None),
                "failed": [list(f) for f in getattr(summary, "failed", [])],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    # answer from the index as saved, exactly as a reused build (and the served product) will
    del kb
    return make_kb(directory), content, False, summary
