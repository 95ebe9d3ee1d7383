"""Error taxonomy of an extractor's predictions on the dev corpus: which kinds of difference its
non-exact pages have (bench/NOTES.md, "Error taxonomy").

A page is non-exact when its token list (the reference scorer's ``\\w+`` tokens) differs from the
truth's. The two token lists are aligned (``difflib.SequenceMatcher``, no junk heuristic), and each
differing run is one of: extra text (the prediction has tokens the truth lacks), missing text (the
reverse), or a token split (the same characters cut into other tokens: ``expand<wbr>ed``); extra
and missing runs are placed at the start, in the middle or at the end of the truth. A page counts
once under every kind it has. Reads the predictions ``bench/extraction.py`` writes
(``bench/out/<extractor>.jsonl``)::

    .venv/bin/python bench/taxonomy.py                     # sieve's, after bench/extraction.py
    .venv/bin/python bench/taxonomy.py --pred bench/out/trafilatura.jsonl

Exit status: 0 done, 2 corpus or predictions missing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
_WORD = re.compile(r"\w+")
KINDS = (
    "extra text at the start",
    "extra text in the middle",
    "extra text at the end",
    "missing text at the start",
    "missing text in the middle",
    "missing text at the end",
    "token split",
)


def tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def _where(start: int, end: int, length: int) -> str:
    if start == 0:
        return "start"
    return "end" if end >= length else "middle"


def kinds(truth: list[str], pred: list[str]) -> set[str]:
    """The kinds of difference between two token lists (empty when they are equal)."""
    found: set[str] = set()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, truth, pred, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and "".join(truth[i1:i2]) == "".join(pred[j1:j2]):
            found.add("token split")
            continue
        where = _where(i1, i2, len(truth))
        if op in ("insert", "replace"):
            found.add(f"extra text {'in the' if where == 'middle' else 'at the'} {where}")
        if op in ("delete", "replace"):
            found.add(f"missing text {'in the' if where == 'middle' else 'at the'} {where}")
    return found


def taxonomy(truth: dict[str, str], pred: dict[str, str]) -> tuple[Counter[str], int]:
    """Pages per kind, and the number of non-exact pages."""
    counts: Counter[str] = Counter()
    non_exact = 0
    for pid, text in truth.items():
        t, p = tokens(text), tokens(pred.get(pid, ""))
        if t != p:
            non_exact += 1
            counts.update(kinds(t, p))
    return counts, non_exact


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "scrapinghub")
    ap.add_argument("--pred", type=Path, default=ROOT / "bench" / "out" / "sieve.jsonl")
    args = ap.parse_args(argv)
    truth_path = args.corpus / "ground-truth.json"
    if not truth_path.is_file() or not args.pred.is_file():
        print(f"taxonomy: need {truth_path} and {args.pred} (run bench/extraction.py first)", file=sys.stderr)
        return 2
    truth = {pid: rec.get("articleBody") or "" for pid, rec in orjson.loads(truth_path.read_bytes()).items()}
    pred: dict[str, str] = {}
    for line in args.pred.read_bytes().splitlines():
        if line.strip():
            rec = orjson.loads(line)
            pred[str(rec.get("input_id", rec.get("id")))] = rec.get("text") or ""
    counts, non_exact = taxonomy(truth, pred)
    print(f"{args.pred.name}: {len(truth)} pages, {non_exact} non-exact")
    for kind in KINDS:
        print(f"  {counts[kind]:4d}  {kind}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
