"""The bars of the richer article events (issue 8) on the scrapinghub dev corpus, in one run.

- F1 / accuracy of ``text`` (reference scorer) -- not below the engine's before this work;
- ``page_type`` is ``article`` on at least 179 of the 181 pages;
- Markdown round trip: the text of the event's ``markdown`` (parsed by a CommonMark parser,
  markdown-it-py, and read back as text) scores the same F1 as ``text`` within 0.002;
- time: median extraction time with ``blocks`` + ``markdown`` within 1.25x of ``text`` alone
  (page by page interleaved, min of --rounds per page);
- ``quality``: Spearman correlation with the per-page F1 >= 0.5, and the F1 of the pages above and
  below ``sieve.quality.THRESHOLD``.

Usage: .venv/bin/python bench/structure.py [--rounds 3] [--limit N] [--json PATH]
Exit status: 0 all bars pass, 1 a bar fails, 2 corpus or scorer missing.
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sieve
from extraction import OUT, SHARED, load_corpus, write_jsonl
from sieve.quality import THRESHOLD

BASELINE = {"f1": 0.9772, "accuracy": 0.486}  # the engine before the richer events (same corpus, scorer)
RICH = ("text", "blocks", "markdown")
PLAIN = ("text",)
_MD = MarkdownIt("commonmark").enable("table")


def markdown_to_text(markdown: str) -> str:
    """Render with a CommonMark parser, then take the text of the HTML (image alts/titles are
    attributes, so a figure contributes no text; link targets neither)."""
    html = _MD.render(markdown)
    root = LexborHTMLParser(f"<body>{html}</body>").body
    return root.text(deep=True, separator="\n") if root is not None else ""


def spearman(xs: list[float], ys: list[float]) -> float:
    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return out

    rx, ry = ranks(xs), ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    var = math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))
    return cov / var if var else 0.0


def score(scorer: Path, truth: Path, pred: Path) -> dict[str, Any]:
    report = pred.with_suffix(".scores.json")
    cmd = [sys.executable, str(scorer), "--truth", str(truth), "--pred", str(pred), "--json", str(report)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode:
        sys.exit(f"scorer failed: {proc.stderr.strip()}")
    print(f"  {pred.name}: {proc.stdout.strip().splitlines()[-1]}", file=sys.stderr)
    result: dict[str, Any] = orjson.loads(report.read_bytes())
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "scrapinghub")
    ap.add_argument("--scorer", type=Path, default=SHARED / "tools" / "score_extraction.py")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not args.scorer.is_file() or not (args.corpus / "ground-truth.json").is_file():
        print("structure bench: corpus or scorer missing (needs ../shared next to the repo)", file=sys.stderr)
        return 2
    pages = load_corpus(args.corpus, args.limit)
    OUT.mkdir(parents=True, exist_ok=True)
    truth = args.corpus / "ground-truth.json"
    if args.limit:
        truth = OUT / "truth-subset.json"
        full = orjson.loads((args.corpus / "ground-truth.json").read_bytes())
        truth.write_bytes(orjson.dumps({pid: full[pid] for pid, _, _ in pages}))

    best = {"plain": [math.inf] * len(pages), "rich": [math.inf] * len(pages)}
    events: dict[str, dict[str, Any]] = {}
    for r in range(args.rounds):
        gc.collect()
        for i, (pid, url, html) in enumerate(pages):
            order = [("plain", PLAIN), ("rich", RICH)]
            if (r + i) % 2:
                order.reverse()
            for name, formats in order:
                t0 = time.perf_counter()
                article = sieve.extract(html, url=url, formats=formats)
                best[name][i] = min(best[name][i], (time.perf_counter() - t0) * 1000)
                if name == "rich" and r == 0:
                    events[pid] = article.to_dict()
        print(f"  round {r + 1}/{args.rounds} done", file=sys.stderr)

    ids = [pid for pid, _, _ in pages]
    text_pred, md_pred = OUT / "structure-text.jsonl", OUT / "structure-markdown.jsonl"
    write_jsonl(text_pred, [{"input_id": pid, "text": events[pid]["text"]} for pid in ids])
    write_jsonl(md_pred, [{"input_id": pid, "text": markdown_to_text(events[pid]["markdown"])} for pid in ids])
    text_scores, md_scores = score(args.scorer, truth, text_pred), score(args.scorer, truth, md_pred)
    ts, ms = text_scores["summary"], md_scores["summary"]

    articles = sum(events[pid]["page_type"] == "article" for pid in ids)
    quality = [float(events[pid]["quality"]) for pid in ids]
    f1s = [float(text_scores["pages"][pid]["f1"]) for pid in ids]
    rho = spearman(quality, f1s)
    above = [f for q, f in zip(quality, f1s, strict=True) if q >= THRESHOLD]
    below = [f for q, f in zip(quality, f1s, strict=True) if q < THRESHOLD]
    plain_med, rich_med = statistics.median(best["plain"]), statistics.median(best["rich"])
    ratio = rich_med / plain_med
    ratio_pages = statistics.median(r / p for r, p in zip(best["rich"], best["plain"], strict=True))

    need_articles = len(ids) - 2  # 179 of the 181 dev pages (all of them articles)
    checks = [
        (f"F1 ≥ engine's {BASELINE['f1']:.4f}", f"{ts['f1']:.4f}", ts["f1"] >= BASELINE["f1"] - 5e-5),
        (
            f"accuracy ≥ engine's {BASELINE['accuracy']:.3f}",
            f"{ts['accuracy']:.4f}",
            ts["accuracy"] >= BASELINE["accuracy"] - 5e-4,
        ),
        (f"page_type article on ≥ {need_articles} of {len(ids)}", f"{articles}", articles >= need_articles),
        (
            "Markdown round trip F1 within 0.002",
            f"{ms['f1']:.4f} vs {ts['f1']:.4f} (Δ {ms['f1'] - ts['f1']:+.4f})",
            abs(ms["f1"] - ts["f1"]) <= 0.002,
        ),
        (
            "time blocks+markdown ≤ 1.25× text",
            f"{ratio:.3f}× ratio of medians ({rich_med:.2f} / {plain_med:.2f} ms), {ratio_pages:.3f}× median of ratios",
            max(ratio, ratio_pages) <= 1.25,
        ),
        ("Spearman(quality, page F1) ≥ 0.5", f"{rho:.3f}", rho >= 0.5),
    ]
    lines = [
        f"corpus   {len(ids)} pages; time = min of {args.rounds} round(s) per page, interleaved",
        f"text      F1 {ts['f1']:.4f}  P {ts['precision']:.4f}  R {ts['recall']:.4f}  acc {ts['accuracy']:.4f}",
        f"markdown  F1 {ms['f1']:.4f}  P {ms['precision']:.4f}  R {ms['recall']:.4f}  acc {ms['accuracy']:.4f}",
        f"quality   threshold {THRESHOLD}: {len(above)} pages above, mean F1 "
        f"{statistics.fmean(above) if above else float('nan'):.4f}; {len(below)} below, mean F1 "
        f"{statistics.fmean(below) if below else float('nan'):.4f}",
        "bars",
        *[f"  {'PASS' if ok else 'FAIL'}  {what:<38} {got}" for what, got, ok in checks],
    ]
    print("\n---- structure ----\n" + "\n".join(lines) + "\n-------------------")
    if args.json:
        args.json.write_bytes(
            orjson.dumps(
                {
                    "text": ts,
                    "markdown": ms,
                    "articles": articles,
                    "spearman": rho,
                    "threshold": THRESHOLD,
                    "above": {"pages": len(above), "mean_f1": statistics.fmean(above) if above else None},
                    "below": {"pages": len(below), "mean_f1": statistics.fmean(below) if below else None},
                    "time": {"plain_median_ms": plain_med, "rich_median_ms": rich_med, "ratio": ratio},
                    "bars": {what: {"value": got, "pass": ok} for what, got, ok in checks},
                    "per_page": {
                        pid: {"quality": q, "f1": f, "page_type": events[pid]["page_type"]}
                        for pid, q, f in zip(ids, quality, f1s, strict=True)
                    },
                },
                option=orjson.OPT_INDENT_2,
            )
        )
    return 0 if all(ok for _w, _g, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
