"""How well name redaction generalises beyond the names a dataset happens to hold.

`python -m evals.name_swap DATASET.jsonl [--split tune|heldout] [--seeds 3]` re-runs the
redaction cases of one split with every PERSON value rewritten, and prints only counts (never a
message): names left out of all PERSON values, per variant:

- `invented`: each name word replaced by a made-up one of the same case ("Kofarime Tuzela"),
  which no name list holds, so only the sentence around it can give it away;
- `lower` / `upper` / `title`: the names, or the whole message, in another case;
- then every redaction case of the split re-cased whole (message, values and must-keep words):
  values left of every type and messages over-redacted.

The rewritten cases are built in memory and scored by `evals.scoring.score_redaction`, the
eval's own scorer; nothing is written. Tune rules on `--split tune` only.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
from collections.abc import Callable
from pathlib import Path

from evals.datasets import RedactionCase, load_datasets
from evals.scoring import score_redaction
from evals.splits import split_tag

_SYLLABLES = "ka ri to na mi le zo bu de sha vo ti ra ne lu ko ye fa gu".split()
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr"}


def _invent(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))


def _same_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word.capitalize()
    return word.lower()


def _rewrite(
    case: RedactionCase, name: Callable[[str], str], whole: Callable[[str], str]
) -> RedactionCase:
    text = case.text
    values = []
    for p in case.pii:
        if p.type == "PERSON":
            new = name(p.value)
            text = re.sub(r"(?<!\w)" + re.escape(p.value) + r"(?!\w)", new, text)
            p = dataclasses.replace(p, value=new)
        values.append(p)
    values = [dataclasses.replace(p, value=whole(p.value)) for p in values]
    return dataclasses.replace(case, text=whole(text), pii=tuple(values))


def variants(rng: random.Random) -> dict[str, tuple[Callable[[str], str], Callable[[str], str]]]:
    def invented(value: str) -> str:
        words = value.split()
        return " ".join(
            w if w.lower().strip(".") in _TITLES else _same_case(_invent(rng), w) for w in words
        )

    keep = str
    return {
        "invented": (invented, keep),
        "lower": (str.lower, keep),
        "upper": (keep, str.upper),
        "title": (keep, str.title),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--split", default="tune", choices=["tune", "heldout"])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)

    from chatbot.redaction import Redactor

    tag = split_tag(args.split)
    cases = [
        c
        for c in load_datasets([args.dataset]).redactions
        if tag in c.tags and any(p.type == "PERSON" for p in c.pii)
    ]
    redactor = Redactor()
    print(f"{args.dataset.name} {tag}: {len(cases)} messages with names")
    for seed in range(args.seeds):
        rng = random.Random(seed)
        for label, (name, whole) in variants(rng).items():
            if seed and label != "invented":
                continue  # only the invented names change with the seed
            total = left = 0
            for case in cases:
                swapped = _rewrite(case, name, whole)
                score = score_redaction(swapped, redactor.redact(swapped.text).text)
                total += sum(p.type == "PERSON" for p in swapped.pii)
                left += score.leaked.count("PERSON")
            print(f"  {label:9} seed {seed}: {left} of {total} names left ({left / total:.1%})")
    every = [c for c in load_datasets([args.dataset]).redactions if tag in c.tags]
    for label, recase in (("lower", str.lower), ("upper", str.upper), ("title", str.title)):
        left_by_type: dict[str, int] = {}
        total = lost = keeps = 0
        for case in every:
            recased = dataclasses.replace(
                case,
                text=recase(case.text),
                pii=tuple(dataclasses.replace(p, value=recase(p.value)) for p in case.pii),
                must_keep=tuple(recase(k) for k in case.must_keep),
            )
            score = score_redaction(recased, redactor.redact(recased.text).text)
            total += len(recased.pii)
            for kind in score.leaked:
                left_by_type[kind] = left_by_type.get(kind, 0) + 1
            keeps += bool(case.must_keep)
            lost += bool(score.lost)
        left = sum(left_by_type.values())
        print(
            f"  whole message {label}: {left} of {total} values left {left_by_type}, "
            f"{lost} of {keeps} messages over-redacted"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
