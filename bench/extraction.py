"""Accuracy, speed and memory of sieve.extract on the scrapinghub article-extraction corpus.

Accuracy: predictions of sieve, trafilatura, resiliparse and readability-lxml (bench/others.py) are
scored by the reference scorer (../shared/tools/score_extraction.py, run as a subprocess; its printed
numbers are the official ones). Speed: in this process, min of --rounds per page per extractor,
against a bare LexborHTMLParser(html) parse of the same page: sieve and the parse page by page in
turn, then the others each over all pages. The summary says which sieve build ran: pure Python, or
the mypyc-compiled core (`make compiled`, then PYTHONPATH=.cache/mypyc; `make bench` measures both).
Memory: peak RSS of `sieve extract --jsonl` over the whole corpus, itself scored (it must equal the
in-process score).
Outputs go to bench/out/ (git-ignored). Exit status: 0 done, 2 corpus/scorer missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import gzip
import hashlib
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SHARED = ROOT.parent / "shared"
COMPILED = ROOT / ".cache" / "mypyc"
#: Issue 6's targets: accuracy = pages whose tokens equal the truth exactly; the ratios are to the bare
#: parse of the same pages, the worse of (ratio of the medians or p95s, median or p95 of per-page ratios).
TARGETS = {"f1": 0.975, "accuracy": 0.45, "median_ratio": 5.0, "p95_ratio": 10.0, "max_ms": 50.0, "rss_mb": 150.0}

# Launches argv[1:] with posix_spawn and prints its own ru_maxrss. A tiny launcher is needed because
# Linux carries the parent's high-water RSS into a child's ru_maxrss across exec: measured from this
# (large) process, even `true` would report hundreds of MB.
_RSS_LAUNCHER = (
    "import os,sys\n"
    "pid=os.posix_spawn(sys.argv[1],sys.argv[1:],os.environ)\n"
    "_,st,ru=os.wait4(pid,0)\n"
    "print('MAXRSS_KB',ru.ru_maxrss,flush=True)\n"
    "sys.exit(os.waitstatus_to_exitcode(st))\n"
)

Page = tuple[str, str, str]  # (id, url, html)
Extractor = Callable[[str, str], str | None]


def load_corpus(corpus: Path, limit: int | None) -> list[Page]:
    truth_path = corpus / "ground-truth.json"
    if not truth_path.is_file() or not (corpus / "html").is_dir():
        sys.exit(
            f"extraction bench: no corpus at {corpus} (need ground-truth.json and html/); "
            "check out ../shared next to the repo or pass --corpus DIR"
        )
    truth = orjson.loads(truth_path.read_bytes())
    pages = []
    for pid in sorted(truth)[:limit]:
        html = gzip.decompress((corpus / "html" / f"{pid}.html.gz").read_bytes()).decode("utf-8")
        pages.append((pid, truth[pid].get("url") or "", html))
    return pages


def extractors(compare: bool) -> dict[str, Extractor]:
    import sieve
    from others import others

    found: dict[str, Extractor] = {"sieve": lambda html, url: sieve.extract(html, url=url).text}
    if compare:
        found.update(others(bench="extraction bench"))
    return found


def run_pages(
    pages: list[Page], fns: dict[str, Extractor], rounds: int
) -> tuple[dict[str, list[float]], dict[str, dict[str, str]], dict[str, int]]:
    """Min ms per page per extractor (plus "parse"); texts from the first round; error counts.

    sieve and the bare parse run page by page in turn (the order alternating by round), so each page's
    ratio compares the two under the same machine state; the other extractors then run each over all
    pages. (Until 2026-11-25 all four were interleaved page by page: every sieve call came
    right after trafilatura's lxml work, with cold caches, and cost ~20 % more than in a worker.)"""
    timed: dict[str, Extractor] = {"parse": lambda html, _url: LexborHTMLParser(html) and None, **fns}
    best = {n: [math.inf] * len(pages) for n in timed}
    texts: dict[str, dict[str, str]] = {n: {} for n in fns}
    errors = dict.fromkeys(fns, 0)

    def run(name: str, i: int, pid: str, url: str, html: str, first: bool) -> None:
        failed = False
        t0 = time.perf_counter()
        try:
            out = timed[name](html, url)
        except Exception:
            out, failed = None, True
        ms = (time.perf_counter() - t0) * 1000
        if ms < best[name][i]:
            best[name][i] = ms
        if first and name in texts:
            texts[name][pid] = out or ""
            errors[name] += failed

    others = [n for n in fns if n != "sieve"]
    for r in range(rounds):
        pair = ["parse", "sieve"] if r % 2 == 0 else ["sieve", "parse"]
        gc.collect()
        for i, (pid, url, html) in enumerate(pages):
            for name in pair:
                run(name, i, pid, url, html, r == 0)
        for name in others[r % max(len(others), 1) :] + others[: r % max(len(others), 1)]:
            gc.collect()
            for i, (pid, url, html) in enumerate(pages):
                run(name, i, pid, url, html, r == 0)
        print(f"  round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
    return best, texts, errors


def env_with_path(*first: Path | None) -> dict[str, str]:
    """This process's environment with the folders ``first`` (those given, in order) ahead on PYTHONPATH."""
    env = dict(os.environ)
    path = os.pathsep.join([*(str(p) for p in first if p is not None), *filter(None, [env.get("PYTHONPATH")])])
    if path:
        env["PYTHONPATH"] = path
    return env


def compiled_run(args: argparse.Namespace) -> dict[str, Any]:
    """Times the compiled build (PYTHONPATH=--compiled) in a child process on the same pages, against
    a parse timed in that process; returns its per-page ms and the hashes of its texts."""
    env = env_with_path(args.compiled)
    argv = [sys.executable, __file__, "--time-only", "--corpus", str(args.corpus), "--scorer", str(args.scorer)]
    argv += ["--rounds", str(args.rounds), *(["--limit", str(args.limit)] if args.limit else [])]
    print(f"timing the compiled build in {args.compiled} (child process)", file=sys.stderr, flush=True)
    proc = subprocess.run(argv, env=env, stdout=subprocess.PIPE, check=False)
    if proc.returncode:
        sys.exit(f"the compiled build's timing failed ({proc.returncode})")
    found: dict[str, Any] = orjson.loads(proc.stdout)
    if not str(found["build"]).startswith("mypyc-compiled"):
        sys.exit(f"--compiled {args.compiled}: the child ran {found['build']} (run `make compiled`)")
    return found


def sieve_build() -> str:
    """Which sieve ran: the mypyc-compiled core (the modules pyproject.toml lists) or pure Python."""
    import importlib
    import tomllib

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["sieve"]["mypyc"]["modules"]
    files = [str(importlib.import_module(f"sieve.{name}").__file__) for name in listed]
    compiled = sum(f.endswith((".so", ".pyd")) for f in files)
    if compiled == len(files):
        return f"mypyc-compiled core, {compiled} modules (from {Path(files[0]).parent})"
    return "pure Python" if compiled == 0 else f"MIXED: {compiled} of {len(files)} listed modules compiled"


def score(scorer: Path, truth: Path, pred: Path, label: str) -> dict[str, Any]:
    report = pred.with_suffix(".scores.json")
    cmd = [
        sys.executable,
        str(scorer),
        "--truth",
        str(truth),
        "--pred",
        str(pred),
        "--worst",
        "10",
        "--json",
        str(report),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    print(f"\n== {label}: {shlex.join(cmd[1:])}\n{proc.stdout.rstrip()}")
    if proc.returncode:
        sys.exit(f"scorer failed ({proc.returncode}): {proc.stderr.strip()}")
    summary: dict[str, Any] = orjson.loads(report.read_bytes())["summary"]
    return summary


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_bytes(b"".join(orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE) for r in rows))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def cli_rss(pages: list[Page], compiled: Path | None) -> dict[str, Any]:
    """Peak RSS (MB) and wall time of `sieve extract --jsonl` over the corpus, via _RSS_LAUNCHER (with
    the compiled build first on PYTHONPATH when there is one)."""
    src, dst = OUT / "corpus.jsonl", OUT / "sieve-cli.jsonl"
    write_jsonl(src, [{"id": pid, "url": url, "html": html} for pid, url, html in pages])
    script = Path(sys.executable).parent / "sieve"
    if script.is_file():
        argv, env = [str(script)], env_with_path(compiled)
    else:  # no installed script: the sources, behind the compiled build when there is one
        argv, env = [sys.executable, "-m", "sieve.cli"], env_with_path(compiled, ROOT / "service")
    argv += ["extract", "--jsonl", str(src), "-o", str(dst)]
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _RSS_LAUNCHER, *argv], capture_output=True, text=True, env=env, check=False
    )
    wall = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(f"sieve CLI failed ({proc.returncode}): {proc.stderr.strip()}")
    if proc.stderr.strip():
        print(f"sieve CLI stderr: {proc.stderr.strip()}", file=sys.stderr)
    kb = int(proc.stdout.strip().splitlines()[-1].split()[1])
    return {"command": shlex.join(argv), "peak_rss_mb": kb / 1024, "wall_s": wall, "pred": dst}


def machine() -> str:
    cpu = (
        next(
            (
                ln.split(":", 1)[1].strip()
                for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    return f"nproc {os.cpu_count()}, {cpu}, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--corpus",
        type=Path,
        metavar="DIR",
        default=SHARED / "corpus" / "scrapinghub",
        help="corpus folder with html/<id>.html.gz and ground-truth.json (default: %(default)s)",
    )
    ap.add_argument(
        "--scorer",
        type=Path,
        metavar="PATH",
        default=SHARED / "tools" / "score_extraction.py",
        help="reference scorer (default: %(default)s)",
    )
    ap.add_argument(
        "--rounds", type=int, metavar="N", default=3, help="timing rounds; min per page is kept (default: 3)"
    )
    ap.add_argument(
        "--no-others", action="store_true", help="skip trafilatura, resiliparse and readability-lxml (quick run)"
    )
    ap.add_argument("--no-rss", action="store_true", help="skip the CLI peak-RSS run")
    ap.add_argument("--limit", type=int, metavar="N", help="only the first N pages (by id); scores are then partial")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write every figure here as JSON")
    ap.add_argument(
        "--compiled",
        type=Path,
        metavar="DIR",
        default=COMPILED if (COMPILED / ".built").is_file() else None,
        help="also time the mypyc-compiled build in DIR, in a child process (default: .cache/mypyc when "
        "`make compiled` has built it)",
    )
    ap.add_argument("--no-compiled", dest="compiled", action="store_const", const=None, help="skip the compiled build")
    ap.add_argument("--time-only", action="store_true", help=argparse.SUPPRESS)  # the child's mode
    args = ap.parse_args()
    if args.rounds < 1 or (args.limit is not None and args.limit < 1):
        ap.error("--rounds and --limit must be at least 1")
    if not args.scorer.is_file():
        print(f"extraction bench: no scorer at {args.scorer} (pass --scorer PATH)", file=sys.stderr)
        return 2
    try:
        pages = load_corpus(args.corpus, args.limit)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    truth = args.corpus / "ground-truth.json"
    if args.limit:  # a subset truth file, so pages left out do not count as empty predictions
        truth = OUT / "truth-subset.json"
        full = orjson.loads((args.corpus / "ground-truth.json").read_bytes())
        truth.write_bytes(orjson.dumps({pid: full[pid] for pid, _, _ in pages}))

    if args.time_only:  # the child: sieve (whichever build PYTHONPATH gives) and the parse, as JSON
        best, texts, errors = run_pages(pages, extractors(False), args.rounds)
        digest = {pid: hashlib.blake2b(t.encode()).hexdigest() for pid, t in texts["sieve"].items()}
        sys.stdout.buffer.write(orjson.dumps({"build": sieve_build(), "ms": best, "texts": digest, "errors": errors}))
        return 0
    fns = extractors(not args.no_others)
    print(
        f"{len(pages)} pages from {args.corpus}; timing {', '.join(['parse', *fns])}, {args.rounds} round(s)",
        file=sys.stderr,
    )
    build = sieve_build()
    print(f"sieve build: {build}", file=sys.stderr)
    best, texts, errors = run_pages(pages, fns, args.rounds)
    child = compiled_run(args) if args.compiled is not None and build == "pure Python" else None
    child_ms: dict[str, list[float]] = child["ms"] if child else {}
    same_text = 0
    if child:
        same_text = sum(
            hashlib.blake2b(texts["sieve"][pid].encode()).hexdigest() == h for pid, h in child["texts"].items()
        )
        build = f"pure Python; compiled: {child['build']}"

    scores: dict[str, dict[str, Any]] = {}
    for name in fns:
        pred = OUT / f"{name}.jsonl"
        write_jsonl(pred, [{"input_id": pid, "text": texts[name][pid]} for pid, _, _ in pages])
        scores[name] = score(args.scorer, truth, pred, name)

    cli: dict[str, Any] = {}
    if not args.no_rss:
        cli = cli_rss(pages, args.compiled if child_ms else None)
        cli_score = score(args.scorer, truth, cli.pop("pred"), "sieve CLI")
        cli["score"] = cli_score
        cli["equals_in_process"] = cli_score == scores["sieve"]

    ids = [pid for pid, _, _ in pages]
    timing: dict[str, dict[str, float]] = {}
    for name, ms in best.items():
        timing[name] = {"median_ms": statistics.median(ms), "p95_ms": p95(ms), "max_ms": max(ms)}
        if name != "parse":
            timing[name]["median_of_ratios"] = statistics.median(m / p for m, p in zip(ms, best["parse"], strict=True))
            timing[name]["ratio_of_medians"] = timing[name]["median_ms"] / timing["parse"]["median_ms"]
            timing[name]["p95_of_ratios"] = p95([m / p for m, p in zip(ms, best["parse"], strict=True)])
            timing[name]["ratio_of_p95s"] = timing[name]["p95_ms"] / timing["parse"]["p95_ms"]
    if child_ms:  # the compiled build, against the parse timed in its own process
        name, ms, parse_ms = "sieve-mypyc", child_ms["sieve"], child_ms["parse"]
        ratios = [m / p for m, p in zip(ms, parse_ms, strict=True)]
        timing[name] = {
            "median_ms": statistics.median(ms),
            "p95_ms": p95(ms),
            "max_ms": max(ms),
            "parse_median_ms": statistics.median(parse_ms),
            "median_of_ratios": statistics.median(ratios),
            "ratio_of_medians": statistics.median(ms) / statistics.median(parse_ms),
            "p95_of_ratios": p95(ratios),
            "ratio_of_p95s": p95(ms) / p95(parse_ms),
        }
        scores[name] = scores["sieve"] if same_text == len(pages) else {}
    shipped = "sieve-mypyc" if child_ms else "sieve"  # the build the image ships, when there is one
    s_ms = child_ms["sieve"] if child_ms else best["sieve"]
    worst_i = max(range(len(s_ms)), key=s_ms.__getitem__)
    slow = sum(m > TARGETS["max_ms"] for m in s_ms)

    if any(errors.values()):
        print(f"\nextraction errors (scored as empty): {errors}")

    st = timing[shipped]
    worse_ratio = max(st["median_of_ratios"], st["ratio_of_medians"])
    worse_p95 = max(st["p95_of_ratios"], st["ratio_of_p95s"])
    sc = scores["sieve"]
    checks = [
        (f"F1 ≥ {TARGETS['f1']:.3f}", f"{sc['f1']:.4f}", sc["f1"] >= TARGETS["f1"]),
        (f"accuracy ≥ {TARGETS['accuracy']:.2f}", f"{sc['accuracy']:.4f}", sc["accuracy"] >= TARGETS["accuracy"]),
        (
            f"median ≤ {TARGETS['median_ratio']:.0f}× parse (worse ratio)",
            f"{st['ratio_of_medians']:.2f}× ratio of medians, {st['median_of_ratios']:.2f}× median of ratios",
            worse_ratio <= TARGETS["median_ratio"],
        ),
        (
            f"p95 ≤ {TARGETS['p95_ratio']:.0f}× parse (worse ratio)",
            f"{st['ratio_of_p95s']:.2f}× ratio of p95s, {st['p95_of_ratios']:.2f}× p95 of ratios",
            worse_p95 <= TARGETS["p95_ratio"],
        ),
        (f"no page over {TARGETS['max_ms']:.0f} ms", f"max {st['max_ms']:.1f} ms, {slow} over", slow == 0),
    ]
    if cli:
        checks.append(
            (
                f"peak RSS ≤ {TARGETS['rss_mb']:.0f} MB",
                f"{cli['peak_rss_mb']:.1f} MB",
                cli["peak_rss_mb"] <= TARGETS["rss_mb"],
            )
        )
    command = shlex.join(
        [
            os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable,
            os.path.relpath(__file__, ROOT),
            *sys.argv[1:],
        ]
    )
    date = f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    lines = [
        f"date     {date}",
        f"machine  {machine()}",
        f"command  {command}",
        f"corpus   {len(pages)} pages; time = min of {args.rounds} round(s) per page"
        "; sieve and parse page by page, the others in turn",
        f"sieve    {build}",
        *(
            [
                f"compiled same text as pure on {same_text} of {len(pages)} pages; its own parse median "
                f"{timing['sieve-mypyc']['parse_median_ms']:.2f} ms (the ratios of sieve-mypyc are to it)"
            ]
            if child_ms
            else []
        ),
        "",
        f"{'extractor':<12}  {'F1':>6}  {'P':>6}  {'R':>6}  {'acc':>6}  {'median ms':>9}  {'p95 ms':>6}"
        f"  {'×parse (ratio of medians)':>25}  {'×parse (median of ratios)':>25}",
    ]
    for name, t in timing.items():
        sc = scores.get(name)
        acc = (
            f"{sc['f1']:.4f}  {sc['precision']:.4f}  {sc['recall']:.4f}  {sc['accuracy']:.4f}"
            if sc
            else f"{'—':>6}  {'—':>6}  {'—':>6}  {'—':>6}"
        )
        ratios = (
            f"{t['ratio_of_medians']:>25.1f}  {t['median_of_ratios']:>25.1f}"
            if name != "parse"
            else f"{'1':>25}  {'1':>25}"
        )
        lines.append(f"{name:<12}  {acc}  {t['median_ms']:>9.2f}  {t['p95_ms']:>6.2f}  {ratios}")
    lines.append("")
    lines.append(f"{shipped} max {st['max_ms']:.1f} ms ({ids[worst_i]}); {slow} pages over {TARGETS['max_ms']:.0f} ms")
    if cli:
        lines.append(
            f"sieve CLI    peak RSS {cli['peak_rss_mb']:.1f} MB, {cli['wall_s']:.1f} s wall, score "
            f"{'equals' if cli['equals_in_process'] else 'DIFFERS FROM'} in-process"
        )
    lines.append(f"targets (speed: {shipped}, the build the image ships)")
    lines += [f"  {'PASS' if ok else 'FAIL'}  {what:<36} {got}" for what, got, ok in checks]
    print("\n---- summary ----\n" + "\n".join(lines) + "\n-----------------")

    if args.json:
        args.json.write_bytes(
            orjson.dumps(
                {
                    "date": date,
                    "machine": machine(),
                    "command": command,
                    "pages": len(pages),
                    "rounds": args.rounds,
                    "sieve_build": build,
                    "compiled_same_text": same_text if child_ms else None,
                    "scores": scores,
                    "errors": errors,
                    "timing": timing,
                    "sieve_max": {"ms": st["max_ms"], "id": ids[worst_i]},
                    "sieve_over_50ms": slow,
                    "cli": cli,
                    "targets": {what: {"value": got, "pass": ok} for what, got, ok in checks},
                    "per_page_ms": {pid: {n: best[n][i] for n in best} for i, pid in enumerate(ids)},
                },
                option=orjson.OPT_INDENT_2,
            )
        )
    if cli and not cli["equals_in_process"]:
        print("warning: the CLI's score differs from the in-process score", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
