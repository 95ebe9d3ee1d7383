"""The ``sieve`` command line: extract (single page, stdin, JSONL batch), inspect, demo, --help.

Most tests call ``sieve.cli.main`` in-process; a few run the installed console script (or
``python -m sieve.cli``) as a subprocess, as a user would.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import sieve
from sieve.cli import main

PAGES = Path(__file__).parent / "fixtures" / "pages"
HILL = PAGES / "thehill_style_article.html"
HILL_URL = json.loads((PAGES / "thehill_style_article.expected.json").read_text("utf-8"))["url"]
SPANISH = PAGES / "spanish_article.html"


def sieve_command() -> list[str]:
    script = Path(sys.executable).parent / "sieve"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sieve.cli"]


def comparable(event: dict[str, Any]) -> dict[str, Any]:
    event = dict(event)
    event.pop("extractor")
    event.pop("input_id", None)
    return event


def api_event(path: Path, url: str | None = None) -> dict[str, Any]:
    return comparable(json.loads(sieve.extract(path.read_bytes(), url=url).to_json()))


# --- extract: one page ----------------------------------------------------------------------------


def test_extract_page_prints_one_json_event(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(HILL), "--url", HILL_URL]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1
    event = json.loads(lines[0])
    assert event["url"] == HILL_URL
    assert event["page_type"] == "article"
    assert comparable(event) == api_event(HILL, HILL_URL)


def test_extract_pretty_is_the_same_event(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SPANISH), "--pretty"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") > 10  # indented
    assert comparable(json.loads(out)) == api_event(SPANISH)


def test_extract_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SPANISH.read_bytes()), encoding="utf-8"))
    assert main(["extract", "-", "--url", "https://example.es/sequia"]) == 0
    event = json.loads(capsys.readouterr().out)
    assert comparable(event) == api_event(SPANISH, "https://example.es/sequia")


def test_extract_of_a_binary_file_fails_with_the_error_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert main(["extract", str(png)]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not_html" in captured.err


def test_extract_without_a_page_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract"]) != 0
    assert capsys.readouterr().err


# --- extract: JSONL batch -------------------------------------------------------------------------


def write_jsonl(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_jsonl_batch_keeps_order_and_reports_bad_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hill = HILL.read_text("utf-8")
    spanish = SPANISH.read_text("utf-8")
    lines = [
        json.dumps({"id": "a-1", "url": HILL_URL, "html": hill}),
        "{this is not json",
        json.dumps({"id": "b-2", "url": "https://example.es/sequia"}),  # no html
        json.dumps({"id": "c-3", "url": "https://example.es/sequia", "html": spanish}),
        json.dumps({"id": 4, "html": ""}),  # empty page
        json.dumps({"id": "e-5", "html": 12345}),  # html is not a string
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "f-6", "html": hill}),
    ]
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, lines)
    assert main(["extract", "--jsonl", str(src), "-o", str(dst)]) == 0
    assert capsys.readouterr().out == ""  # everything went to the file
    records = read_jsonl(dst)
    assert len(records) == len(lines)
    assert [r["input_id"] for r in records] == ["a-1", None, "b-2", "c-3", 4, "e-5", None, "f-6"]

    ok = [records[i] for i in (0, 3, 7)]
    assert all("error" not in r for r in ok)
    assert comparable(ok[0]) == api_event(HILL, HILL_URL)
    assert comparable(ok[1]) == api_event(SPANISH, "https://example.es/sequia")
    assert comparable(ok[2]) == api_event(HILL)

    for i in (1, 2, 4, 5, 6):
        record = records[i]
        assert set(record) == {"input_id", "error"}, record
        assert set(record["error"]) == {"kind", "message"}
        assert record["error"]["kind"] and record["error"]["message"]
    assert records[4]["error"]["kind"] == "empty_input"


def test_jsonl_batch_to_stdout_from_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    spanish = SPANISH.read_text("utf-8")
    data = "\n".join(json.dumps({"id": f"s{i}", "html": spanish}) for i in range(3)) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode()), encoding="utf-8"))
    assert main(["extract", "--jsonl", "-"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert [r["input_id"] for r in records] == ["s0", "s1", "s2"]
    assert all(comparable(r) == api_event(SPANISH) for r in records)


def test_jsonl_blank_lines_are_skipped(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, ["", json.dumps({"id": "x", "html": SPANISH.read_text("utf-8")}), "   ", ""])
    assert main(["extract", "--jsonl", str(src), "-o", str(dst)]) == 0
    assert [r["input_id"] for r in read_jsonl(dst)] == ["x"]


# --- inspect --------------------------------------------------------------------------------------


def test_inspect_writes_a_self_contained_html_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.html"
    assert main(["inspect", str(HILL), "--url", HILL_URL, "--html", str(report)]) == 0
    listing = capsys.readouterr().out
    assert "most_popular" in listing and "body" in listing
    html = report.read_text("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    for label in ("body", "headline", "most_popular", "trending", "footer"):
        assert f'data-sieve="{label}"' in html, label
    lower = html.lower()
    assert "<script" not in lower
    assert "<link" not in lower
    assert 'src="http' not in lower and "src='http" not in lower
    # every body paragraph of the event is marked up as body in the report
    article = sieve.extract(HILL.read_bytes(), url=HILL_URL)
    assert article.paragraphs
    assert article.paragraphs[0][:40] in html


def test_inspect_lists_every_block(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(SPANISH), "--width", "40"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    from sieve.extract import analyse

    assert len(lines) == len(analyse(SPANISH.read_bytes()).blocks)


# --- demo and help --------------------------------------------------------------------------------


def test_demo_prints_an_event_per_sample_page(capsys: pytest.CaptureFixture[str]) -> None:
    samples = sorted(PAGES.glob("*.html"))
    assert samples
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    chunks = [c for c in re.split(r"(?m)^== ", out) if c.strip()]  # "==" may occur inside an event
    assert len(chunks) == len(samples)
    for chunk, page in zip(chunks, samples, strict=True):
        header, _, body = chunk.partition("\n")
        assert header.startswith(page.name)
        event = json.loads(body)
        assert comparable(event) == api_event(page)


def test_demo_with_an_empty_samples_folder_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--samples", str(tmp_path)]) != 0
    assert capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["extract", "--help"], ["inspect", "--help"], ["demo", "--help"]])
def test_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "usage" in out.lower()
    if argv == ["--help"]:
        assert all(cmd in out for cmd in ("extract", "inspect", "demo"))


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert sieve.__version__ in capsys.readouterr().out


# --- as a subprocess ------------------------------------------------------------------------------


def test_console_script_extracts_a_page() -> None:
    done = subprocess.run(
        [*sieve_command(), "extract", str(HILL), "--url", HILL_URL],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    assert comparable(json.loads(lines[0])) == api_event(HILL, HILL_URL)


def test_console_script_reads_stdin() -> None:
    done = subprocess.run(
        [*sieve_command(), "extract", "-"],
        input=SPANISH.read_bytes(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert comparable(json.loads(done.stdout)) == api_event(SPANISH)


def test_console_script_help() -> None:
    done = subprocess.run([*sieve_command(), "--help"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0
    assert "extract" in done.stdout


def test_missing_input_file_is_an_error_message_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-page.html"
    done = subprocess.run(
        [*sieve_command(), "extract", str(missing)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "no-such-page.html" in done.stderr
