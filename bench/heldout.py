"""Held-out check: sieve on a snippet-style evaluation set it was not tuned on.

The set is trafilatura's evaluation data (https://github.com/adbar/trafilatura, Apache-2.0): about
990 pages in many languages, news and non-news (blogs, shops, institutional pages). It is not
bundled here. To get it::

    git clone --depth 1 https://github.com/adbar/trafilatura /tmp/trafilatura
    python bench/heldout.py --evaldata /tmp/trafilatura/tests/evaldata.json \\
        --html-dir /tmp/trafilatura/tests/eval --html-dir /tmp/trafilatura/tests/cache

``evaldata.json`` maps a URL to ``{"file": name, "with": [...], "without": [...]}``: snippets that
must appear in the main text, and snippets that must not. Per extractor this prints

* snippet recall: share of "with" snippets found in the extracted text;
* precision proxy: share of "without" snippets absent from it (an empty output scores 1 here,
  so read it next to the empty-page count);
* pages with empty output;
* the worst pages (most failed snippets) with the snippets that failed;
* with ``--kinds``, sieve's failures by kind: which label or rule took each missing snippet, and
  whether each kept one sits in a short line or a longer block.

Text is matched after collapsing every run of whitespace to one space (both sides). sieve's text is
``sieve.extract(html_bytes, url=url).text``, the body only (a snippet of the headline counts as
missing: the set's "with" snippets sometimes quote the title); trafilatura (when installed) runs
with its defaults minus comments, as in bench/extraction.py; readability-lxml (when installed) gives
the text of ``Document(html).summary()``, a line break before each block element. trafilatura was
developed against this very set, so its figures here are flattering; they are a reference point,
not a fair baseline.

Exit status: 0 done, 2 evaluation set missing or unreadable.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import orjson

from others import others as comparison

_SPACE = re.compile(r"\s+")

Extractor = Callable[[bytes, str], str]


@dataclass(slots=True)
class PageResult:
    url: str
    file: str
    text_len: int
    missing: list[str] = field(default_factory=list)  # "with" snippets not found
    leaked: list[str] = field(default_factory=list)  # "without" snippets found
    page_type: str = ""


@dataclass(slots=True)
class Score:
    found: int = 0
    wanted: int = 0
    absent: int = 0
    unwanted: int = 0
    empty: int = 0
    errors: int = 0
    pages: list[PageResult] = field(default_factory=list)


def norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _fail(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(2)


def load_set(evaldata: Path, html_dirs: list[Path], limit: int | None) -> list[tuple[str, dict[str, Any], Path]]:
    if not evaldata.is_file():
        _fail(f"heldout bench: no evaluation set at {evaldata} (see --help for how to get it)")
    missing_dirs = [str(d) for d in html_dirs if not d.is_dir()]
    if not html_dirs or missing_dirs:
        _fail(f"heldout bench: HTML folder(s) missing: {missing_dirs or 'none given'} (see --help)")
    try:
        data = orjson.loads(evaldata.read_bytes())
    except orjson.JSONDecodeError as exc:
        _fail(f"heldout bench: {evaldata} is not JSON: {exc}")
    entries = []
    absent = 0
    for url, entry in data.items():
        name = entry.get("file", "")
        path = next((d / name for d in html_dirs if name and (d / name).is_file()), None)
        if path is None:
            absent += 1
            continue
        entries.append((url, entry, path))
    if absent:
        print(f"heldout bench: {absent} page(s) of the set have no HTML file in the given folders; skipped")
    if not entries:
        _fail("heldout bench: no page of the set was found in the HTML folder(s)")
    return entries[:limit]


def extractors(others: bool) -> dict[str, Extractor]:
    import sieve

    def run_sieve(html: bytes, url: str) -> str:
        return sieve.extract(html, url=url).text

    found: dict[str, Extractor] = {"sieve": run_sieve}
    if others:
        found.update(comparison(("trafilatura", "readability"), bench="heldout bench"))
    return found


def page_kind(html: bytes, url: str) -> str:
    import sieve

    try:
        article = sieve.extract(html, url=url)
    except sieve.ExtractionError as exc:
        return f"error:{exc.kind}"
    return f"{article.page_type}:{article.reason}"


def evaluate(entries: list[tuple[str, dict[str, Any], Path]], name: str, fn: Extractor) -> Score:
    score = Score()
    total = len(entries)
    started = time.monotonic()
    tty = sys.stderr.isatty()
    for i, (url, entry, path) in enumerate(entries, 1):
        html = path.read_bytes()
        try:
            text = norm(fn(html, url))
        except Exception as exc:  # one bad page must not stop the run
            print(f"\n{name}: {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            score.errors += 1
            text = ""
        wanted = [norm(s) for s in entry.get("with") or [] if isinstance(s, str)]
        unwanted = [norm(s) for s in entry.get("without") or [] if isinstance(s, str)]
        result = PageResult(url, path.name, len(text))
        result.missing = [s for s in wanted if s not in text]
        result.leaked = [s for s in unwanted if s in text]
        score.wanted += len(wanted)
        score.found += len(wanted) - len(result.missing)
        score.unwanted += len(unwanted)
        score.absent += len(unwanted) - len(result.leaked)
        score.empty += not text
        if name == "sieve" and not text:
            result.page_type = page_kind(html, url)
        score.pages.append(result)
        if i % (20 if tty else 200) == 0 or i == total:
            rate = i / max(time.monotonic() - started, 1e-9)
            start, end = ("\r", "" if i < total else "\n") if tty else ("", "\n")
            print(f"{start}{name}: {i}/{total} pages  {rate:,.0f}/s", end=end, file=sys.stderr, flush=True)
    return score


def show(name: str, score: Score, worst: int) -> None:
    pages = score.pages
    ranked = sorted(pages, key=lambda p: (len(p.missing) + len(p.leaked), len(p.missing)), reverse=True)
    print(f"\n==== {name}: worst {worst} pages ====")
    for page in ranked[:worst]:
        if not (page.missing or page.leaked):
            break
        why = f" [{page.page_type}]" if page.page_type else ""
        print(f"- {page.file} ({page.text_len} chars){why} {page.url}")
        for snippet in page.missing:
            print(f"    missing: {snippet[:100]!r}")
        for snippet in page.leaked:
            print(f"    kept:    {snippet[:100]!r}")
    if any(p.page_type for p in pages):
        kinds = Counter(p.page_type.split(":")[0] for p in pages if p.page_type)
        print(f"empty sieve outputs by page type: {dict(kinds.most_common())}")


def _miss_kind(block: Any) -> str:
    """Why a wanted snippet is missing, from the label and signals of the sieve block holding it."""
    label, why = block.label.value, block.why
    if label == "headline":
        return "title (h1) expected" if block.heading == 1 else "lead/standfirst taken for the headline"
    if label in ("comments", "caption"):
        return f"{label} expected"
    if "outside the main region" in why:
        return "outside the main region"
    if label in ("byline", "dateline"):
        return "taken for byline/date"
    if label != "other" or "inside boilerplate markup" in why or "inside a boilerplate heading zone" in why:
        return "taken for a boilerplate region/zone"
    if block.tag in ("li", "td", "th", "dd", "dt") or block.heading:
        return "list/table/heading line dropped"
    return "other body line dropped"


def failure_kinds(entries: list[tuple[str, dict[str, Any], Path]]) -> None:
    """Count sieve's failures by kind: where each missing snippet went, how long each kept one is."""
    import sieve
    from sieve.extract import analyse, assemble
    from sieve.structure import NODE_TAGS

    pages: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for url, entry, path in entries:
        wanted = [norm(s) for s in entry.get("with") or [] if isinstance(s, str)]
        unwanted = [norm(s) for s in entry.get("without") or [] if isinstance(s, str)]
        try:
            analysis = analyse(path.read_bytes(), url=url, keep_nodes={}, keep_tags=NODE_TAGS)  # as extract() does
            article = assemble(analysis, url=url, started=time.perf_counter())
        except sieve.ExtractionError:
            pages["empty output"] += 1
            missing["empty output (refused)"] += len(wanted)
            continue
        text = norm(article.text)
        lost = [s for s in wanted if s not in text]
        leaked = [s for s in unwanted if s in text]
        if not text:
            pages["empty output"] += 1
            missing[f"empty output ({article.page_type})"] += len(lost)
            continue
        if lost:
            pages["main text missed entirely" if len(lost) == len(wanted) else "some snippets missing"] += 1
        pages["boilerplate kept"] += bool(leaked)
        texts = [(norm(b.text), b) for b in analysis.blocks]
        for snippet in lost:
            block = next((b for t, b in texts if snippet in t), None)
            missing["snippet spans blocks" if block is None else _miss_kind(block)] += 1
        for snippet in leaked:
            block = next((b for t, b in texts if snippet in t and b.label.value == "body"), None)
            kept["short line/heading (<= 60 chars)" if block is not None and block.chars <= 60 else "longer block"] += 1
    print("\n==== sieve failure kinds ====")
    print(f"pages: {dict(pages.most_common())}")
    print("missing 'with' snippets:")
    for kind, n in missing.most_common():
        print(f"  {n:5d}  {kind}")
    print("kept 'without' snippets, by the body block holding them:")
    for kind, n in kept.most_common():
        print(f"  {n:5d}  {kind}")


def summary_line(name: str, score: Score) -> str:
    recall = score.found / max(score.wanted, 1)
    proxy = score.absent / max(score.unwanted, 1)
    return (
        f"{name:<12} {recall:8.4f} {proxy:10.4f} {score.empty:6d} {score.errors:6d}"
        f"   ({score.found}/{score.wanted} found, {score.absent}/{score.unwanted} absent, {len(score.pages)} pages)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaldata", type=Path, required=True, metavar="PATH", help="the evaluation JSON")
    parser.add_argument(
        "--html-dir",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="folder holding the pages' HTML files; repeat for several (first match wins)",
    )
    parser.add_argument("--no-others", action="store_true", help="sieve only (skip trafilatura and readability-lxml)")
    parser.add_argument("--worst", type=int, default=25, metavar="N", help="list the N worst pages (default 25)")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N pages of the set")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write per-page results here as JSON")
    parser.add_argument(
        "--kinds", action="store_true", help="also count sieve's failures by kind (which label took each snippet)"
    )
    args = parser.parse_args(argv)

    entries = load_set(args.evaldata, args.html_dir, args.limit)
    scores = {name: evaluate(entries, name, fn) for name, fn in extractors(not args.no_others).items()}
    for name, score in scores.items():
        show(name, score, args.worst)
    if args.kinds:
        failure_kinds(entries)
    print("\nextractor      recall  precision  empty errors")
    for name, score in scores.items():
        print(summary_line(name, score))
    if "trafilatura" in scores:
        print("(trafilatura was developed against this set: its figures here are flattering)")
    if args.json:
        out = {
            name: [
                {
                    "url": p.url,
                    "file": p.file,
                    "chars": p.text_len,
                    "missing": p.missing,
                    "kept": p.leaked,
                    "page_type": p.page_type,
                }
                for p in score.pages
            ]
            for name, score in scores.items()
        }
        args.json.write_bytes(orjson.dumps(out, option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
