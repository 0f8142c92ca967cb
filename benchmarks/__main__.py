"""`python -m benchmarks [retrieval|chat ...]`: run the named benchmarks (all by default)."""

from __future__ import annotations

import importlib
import sys

SUITES = ["embeddings", "retrieval", "retrieval_quality", "chat", "redaction"]


def main(argv: list[str]) -> int:
    names = argv or SUITES
    for name in names:
        if name not in SUITES:
            print(f"unknown benchmark {name!r}; choose from {', '.join(SUITES)}", file=sys.stderr)
            return 2
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
