"""Held-out check B: sieve on Mozilla Readability's test pages.

The set is the test corpus of Mozilla's Readability.js (https://github.com/mozilla/readability,
Apache-2.0; the source of the "readability" dataset of the Bevendorff et al. 2023 web content
extraction benchmark): about 130 pages (news, blogs, documentation, Wikipedia…), each a folder
holding ``source.html`` (the page) and ``expected.html`` (Readability's extraction of it). It is not
bundled here. To get it::

    git clone --depth 1 https://github.com/mozilla/readability /tmp/readability
    python bench/readability_pages.py --pages /tmp/readability/test/test-pages [--others]

Truth is the visible text of ``expected.html`` (selectolax, text nodes joined by a space); the
prediction is ``sieve.extract(html, url=url).text``, with the url of ``expected-metadata.json`` when
it has one (none does today). Each page is scored as ``../shared/tools/score_extraction.py`` scores
the dev corpus (imported from there when present, else the same rule re-implemented here): multisets
of 4-token shingles of ``\\w+`` tokens, precision and recall averaged over pages, F1 the harmonic
mean of the two, exact = same token list. This prints, per extractor, mean F1/P/R, the exact and
empty counts and the worst pages. ``--others`` adds trafilatura and readability-lxml when installed.

Readability's own output is the truth here, so readability-lxml (a port of an older Readability) is
flattered; the pages' truth also keeps things the dev corpus's truth leaves out (standfirsts, some
captions, headings), so read the figures as a check on generalisation, not as a target.

Exit status: 0 done, 2 set missing or unreadable.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from selectolax.lexbor import LexborHTMLParser

from others import others as comparison

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "tools" / "score_extraction.py"
_WORD = re.compile(r"\w+")

Extractor = Callable[[bytes, str | None], str]


@dataclass(slots=True)
class PageScore:
    name: str
    p: float | None
    r: float | None
    f1: float
    exact: bool
    empty: bool


def _fail(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(2)


def _shingles(toks: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def _page_score(truth: str, pred: str) -> dict[str, Any]:
    """The reference scorer's per-page rule (used when the scorer itself is not importable)."""
    t_tok, p_tok = _WORD.findall(truth), _WORD.findall(pred)
    t_sh, p_sh = _shingles(t_tok), _shingles(p_tok)
    tp = sum((t_sh & p_sh).values())
    fp = sum((p_sh - t_sh).values())
    fn = sum((t_sh - p_sh).values())
    return {
        "p": tp / (tp + fp) if tp + fp else None,
        "r": tp / (tp + fn) if tp + fn else None,
        "f1": 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 1.0,
        "exact": t_tok == p_tok,
        "empty": not p_tok,
    }


def scorer(path: Path) -> Callable[[str, str], dict[str, Any]]:
    """The reference scorer's ``page_score``, imported by path; the same rule re-implemented if absent."""
    if path.is_file():
        spec = importlib.util.spec_from_file_location("score_extraction", path)
        if spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            fn: Callable[[str, str], dict[str, Any]] = module.page_score
            return fn
    print(f"readability bench: no scorer at {path}; using the same rule re-implemented here", file=sys.stderr)
    return _page_score


def visible_text(html: str | bytes) -> str:
    """Text of an HTML document or fragment, text nodes joined by one space (scripts and styles dropped)."""
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    root = tree.body or tree.root
    return root.text(separator=" ") if root is not None else ""


def load_pages(folder: Path, limit: int | None) -> list[tuple[str, Path, str, str | None]]:
    """(name, source.html path, truth text, url) of every page folder holding both files."""
    if not folder.is_dir():
        _fail(f"readability bench: no test pages at {folder} (see --help for how to get them)")
    pages = []
    for page in sorted(p for p in folder.iterdir() if p.is_dir()):
        source, expected = page / "source.html", page / "expected.html"
        if not (source.is_file() and expected.is_file()):
            continue
        url: str | None = None
        meta = page / "expected-metadata.json"
        if meta.is_file():
            try:
                found = json.loads(meta.read_text("utf-8")).get("url")
            except (ValueError, AttributeError):
                found = None
            url = found if isinstance(found, str) and found else None
        pages.append((page.name, source, visible_text(expected.read_bytes()), url))
    if not pages:
        _fail(f"readability bench: no page folder with source.html and expected.html under {folder}")
    return pages[:limit]


def extractors(others: bool) -> dict[str, Extractor]:
    import sieve

    def run_sieve(html: bytes, url: str | None) -> str:
        return sieve.extract(html, url=url).text

    found: dict[str, Extractor] = {"sieve": run_sieve}
    if others:
        # readability-lxml's summary read as the truth is: its text nodes joined by a space
        found.update(comparison(("trafilatura", "readability"), summary_text=visible_text, bench="readability bench"))
    return found


def evaluate(
    pages: list[tuple[str, Path, str, str | None]],
    name: str,
    fn: Extractor,
    score: Callable[[str, str], dict[str, Any]],
) -> list[PageScore]:
    results = []
    for page, source, truth, url in pages:
        try:
            pred = fn(source.read_bytes(), url)
        except Exception as exc:  # one bad page must not stop the run; it counts as empty
            print(f"{name}: {page}: {type(exc).__name__}: {exc}", file=sys.stderr)
            pred = ""
        s = score(truth, pred)
        results.append(PageScore(page, s["p"], s["r"], s["f1"], bool(s["exact"]), bool(s["empty"])))
    return results


def summary(results: list[PageScore]) -> tuple[float, float, float, float, int, int]:
    """Mean page F1, scorer-style F1 (of mean P and mean R), mean P, mean R, exact and empty counts."""
    ps = [r.p for r in results if r.p is not None]
    rs = [r.r for r in results if r.r is not None]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    mean_f1 = sum(x.f1 for x in results) / len(results) if results else 0.0
    return mean_f1, f1, p, r, sum(x.exact for x in results), sum(x.empty for x in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--pages",
        type=Path,
        default=Path("/tmp/readability/test/test-pages"),
        metavar="DIR",
        help="Readability's test-pages folder (default: %(default)s)",
    )
    parser.add_argument(
        "--scorer", type=Path, default=SCORER, metavar="PATH", help="reference scorer (default: %(default)s)"
    )
    parser.add_argument("--others", action="store_true", help="also trafilatura and readability-lxml, when installed")
    parser.add_argument("--worst", type=int, default=15, metavar="N", help="list the N worst pages (default 15)")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N pages (sorted by name)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write per-page scores here as JSON")
    args = parser.parse_args(argv)

    pages = load_pages(args.pages, args.limit)
    score = scorer(args.scorer)
    results = {name: evaluate(pages, name, fn, score) for name, fn in extractors(args.others).items()}
    for name, per_page in results.items():
        print(f"\n==== {name}: worst {args.worst} pages ====")
        for page in sorted(per_page, key=lambda x: x.f1)[: args.worst]:
            prec = "-" if page.p is None else f"{page.p:.3f}"
            rec = "-" if page.r is None else f"{page.r:.3f}"
            print(f"  {page.f1:.3f}  P {prec}  R {rec}  {page.name}")
    print(f"\n{len(pages)} pages\nextractor     mean-F1      F1       P       R  exact  empty")
    for name, per_page in results.items():
        mean_f1, f1, p, r, exact, empty = summary(per_page)
        print(f"{name:<12} {mean_f1:8.4f} {f1:7.4f} {p:7.4f} {r:7.4f} {exact:6d} {empty:6d}")
    print("(F1 = harmonic mean of mean P and mean R, as the reference scorer; mean-F1 = mean of page F1s)")
    if args.json:
        out = {name: [_as_dict(r) for r in rs] for name, rs in results.items()}
        args.json.write_text(json.dumps(out, indent=2), "utf-8")
    return 0


def _as_dict(r: PageScore) -> dict[str, Any]:
    return {"page": r.name, "p": r.p, "r": r.r, "f1": r.f1, "exact": r.exact, "empty": r.empty}


if __name__ == "__main__":
    sys.exit(main())
