"""The ``sieve`` command line: extract, inspect, demo (and, from sieve.pipeline, the Kafka commands)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from sieve.contracts import ExtractionError
from sieve.extract import extract
from sieve.progress import Progress
from sieve.version import __version__

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "pages"


class InputError(Exception):
    """A page file that cannot be read (missing, a directory, no permission)."""


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _cmd_extract(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _extract_jsonl(args.jsonl, args.output)
    if not args.page:
        print("sieve extract: give PAGE.html, '-' for stdin, or --jsonl FILE", file=sys.stderr)
        return 2
    try:
        article = extract(_read_input(args.page), url=args.url)
    except ExtractionError as exc:
        print(f"sieve extract: {exc.kind}: {exc.message}", file=sys.stderr)
        return 1
    opts = orjson.OPT_INDENT_2 if args.pretty else 0
    sys.stdout.buffer.write(orjson.dumps(article.to_dict(), option=opts | orjson.OPT_APPEND_NEWLINE))
    return 0


def _jsonl_lines(path: str) -> Iterator[bytes]:
    stream: IO[bytes] = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    with stream:
        for line in stream:
            if line.strip():
                yield line


def _extract_one_line(line: bytes) -> dict[str, Any]:
    input_id: Any = None
    try:
        record = orjson.loads(line)
        if not isinstance(record, dict):
            raise ValueError("each line must be a JSON object with id, url and html")
        input_id = record.get("id")
        html = record.get("html")
        if not isinstance(html, str):
            raise ValueError("missing or non-string 'html'")
        url = record.get("url")
        event = extract(html, url=url if isinstance(url, str) else None).to_dict()
        event["input_id"] = input_id
        return event
    except ExtractionError as exc:
        return {"input_id": input_id, "error": {"kind": str(exc.kind), "message": exc.message}}
    except (orjson.JSONDecodeError, ValueError) as exc:
        return {"input_id": input_id, "error": {"kind": "bad_record", "message": str(exc)}}


def _count_lines(path: str) -> int | None:
    if path == "-":
        return None
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


def _extract_jsonl(path: str, output: str | None) -> int:
    progress = Progress(_count_lines(path) if sys.stderr.isatty() else None, "extract")
    out: IO[bytes] = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115
    try:
        for line in _jsonl_lines(path):
            result = _extract_one_line(line)
            out.write(orjson.dumps(result, option=orjson.OPT_APPEND_NEWLINE))
            progress.advance(error="error" in result)
    finally:
        progress.close()
        if output:
            out.close()
    if progress.errors:
        print(f"sieve extract: {progress.errors} of {progress.done} lines failed", file=sys.stderr)
    return 0


def _cmd_inspect(args: argparse.Namespace) -> int:
    from sieve.inspect import inspect_page, render_report, text_lines

    try:
        inspection = inspect_page(_read_input(args.page), url=args.url)
    except ExtractionError as exc:
        print(f"sieve inspect: {exc.kind}: {exc.message}", file=sys.stderr)
        return 1
    for line in text_lines(inspection, width=args.width):
        print(line)
    if args.html:
        Path(args.html).write_text(render_report(inspection, check_script=args.check_script), encoding="utf-8")
        print(f"report written to {args.html}", file=sys.stderr)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    pages = sorted(Path(args.samples).glob("*.html"))
    if not pages:
        print(f"sieve demo: no sample pages in {args.samples}", file=sys.stderr)
        return 1
    for page in pages:
        article = extract(page.read_bytes(), url=None)
        event = article.to_dict()
        print(f"== {page.name}: {event['page_type']} · {event['title']!r} · {event['word_count']} words")
        sys.stdout.flush()
        sys.stdout.buffer.write(orjson.dumps(event, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sieve",
        description="Turn raw news pages into clean article events (and run the Kafka service).",
    )
    parser.add_argument("--version", action="version", version=f"sieve {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="extract one page, or a JSONL batch, to article events")
    p.add_argument("page", nargs="?", help="an HTML file, or '-' for stdin")
    p.add_argument("--url", help="the page's URL (resolves links, gives the event id)")
    p.add_argument("--jsonl", metavar="IN.jsonl", help='batch mode: lines of {"id", "url", "html"}')
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="batch output file (default stdout)")
    p.add_argument("--pretty", action="store_true", help="indent the single-page event")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("inspect", help="list every block of a page with its label and the signals behind it")
    p.add_argument("page", help="an HTML file, or '-' for stdin")
    p.add_argument("--url", help="the page's URL")
    p.add_argument("--html", metavar="REPORT.html", help="also write a self-contained HTML report")
    p.add_argument("--width", type=int, default=70, help="characters of each block's text to show")
    p.add_argument(
        "--check-script",
        action="store_true",
        help="add the report's own layout check (a small script; used by the browser test)",
    )
    p.set_defaults(func=_cmd_inspect)

    p = sub.add_parser("demo", help="extract the bundled sample pages and print their events")
    p.add_argument("--samples", default=str(SAMPLES_DIR), help="folder of sample .html pages")
    p.set_defaults(func=_cmd_demo)

    try:  # the Kafka commands live with the pipeline; the core works without them
        from sieve.pipeline.cli import register
    except ImportError:
        pass
    else:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except InputError as exc:
        print(f"sieve {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `sieve inspect page.html | head` is fine
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
