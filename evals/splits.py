"""Tuning and held-out splits of every dataset, fixed by content so anyone gets the same ones.

Rules, weights and thresholds are fitted on the `tune` part only; the `heldout` part is what
the README reports as the real numbers. Question cases are split **by page**: cases that share
any expected source are one group (connected through shared pages), and a whole group falls on
one side, so a page's questions never sit on both (when shared pages would chain more than a
fifth of a file into one group, the case's first expected page decides instead). Cases without
expected sources (escalate, urgent) and redaction cases are their own group. Groups are taken
in the order of a hash of their key and held out until about 30% of the file's cases are, so a
split depends only on the file's content: never on line order or on other files loaded.

Every loaded case carries a `split:tune` or `split:heldout` tag, so `summary.json` reports
both sides under `by_tag` and gates can target `by_tag: {"split:heldout": ...}`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

HELDOUT_SHARE = 0.3  # about this share of a file's cases is held out
MAX_GROUP_SHARE = 0.2  # a group larger than this share of a file is split by first page
TUNE, HELDOUT = "tune", "heldout"
TAG_PREFIX = "split:"


def _rank(group_key: str) -> int:
    """A stable pseudo-random rank for a group key (a page name, or a case id)."""
    return int.from_bytes(hashlib.sha256(f"townhall-split-v1:{group_key}".encode()).digest()[:8])


def _page_key(source: str) -> str:
    """The page a source names: a URL without scheme, `www.` and trailing slash, or a file name."""
    s = source.strip().casefold().split("#", 1)[0].rstrip("/")
    if "://" in s or s.startswith("www."):
        s = s.split("://", 1)[-1].removeprefix("www.")
        return f"url:{s}"
    return f"file:{s.rsplit('/', 1)[-1]}"


def assign_splits(cases: Sequence[Any]) -> dict[str, str]:
    """Case id -> side. `cases` need `id` and, for question cases, `expected_sources`."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the smallest key names the group

    for case in cases:
        node = f"case:{case.id}"
        find(node)
        for source in getattr(case, "expected_sources", ()) or ():
            union(node, f"page:{_page_key(source)}")
    # a group's key: its smallest page when it has pages, else the case id itself
    keys: dict[str, str] = {}
    for node in list(parent):
        root = find(node)
        if node.startswith("page:"):
            keys[root] = min(keys.get(root, node), node)
    sizes: dict[str, int] = {}
    for case in cases:
        root = find(f"case:{case.id}")
        sizes[root] = sizes.get(root, 0) + 1
    groups: dict[str, list[str]] = {}
    for case in cases:
        root = find(f"case:{case.id}")
        key = keys.get(root, f"case:{case.id}")
        if root in keys and sizes[root] > 1 and sizes[root] > MAX_GROUP_SHARE * len(cases):
            # near-identical pages cited together (one FAQ copied by many councils) chain much
            # of a file into one group: fall back to the case's first expected page
            key = f"page:{_page_key(case.expected_sources[0])}"
        groups.setdefault(key, []).append(case.id)
    # groups in a stable pseudo-random order; held out until the share is reached
    out: dict[str, str] = {}
    held = 0
    for key in sorted(groups, key=_rank):
        side = HELDOUT if held < HELDOUT_SHARE * len(cases) else TUNE
        held += len(groups[key]) if side == HELDOUT else 0
        out.update(dict.fromkeys(groups[key], side))
    return out


def split_tag(side: str) -> str:
    return f"{TAG_PREFIX}{side}"


def only(cases: Iterable[Any], side: str) -> list[Any]:
    """The cases on one side (by their `split:` tag): what tuning code may read is `tune`."""
    tag = split_tag(side)
    return [c for c in cases if tag in getattr(c, "tags", ())]
