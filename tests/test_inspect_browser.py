"""``sieve inspect --html``: the side-by-side report, rendered by a real browser (headless Chromium).

Chromium is Debian's ``chromium`` package, installed by ``make chromium`` (which ``make test`` runs).
Without it this test fails: it never skips, so CI cannot pass without having looked at the report.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sieve.cli import main

PAGE = Path(__file__).parent / "fixtures" / "pages" / "tech_explainer_structure.html"
URL = "https://www.riversideledger.com/tech/2024/05/how-the-citys-new-flood-sensors-work"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str:
    found = os.environ.get("SIEVE_CHROMIUM") or next(filter(None, map(shutil.which, CANDIDATES)), None)
    if not found:
        pytest.fail("headless Chromium is needed for this test: run `make chromium` (apt-get install chromium)")
    return found


def _run(browser: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,900"]
    home = cwd / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run(
        [browser, *flags, f"--user-data-dir={cwd / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
        env=env,
    )


def test_report_side_by_side_in_headless_chromium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    browser = chromium()
    report = tmp_path / "report.html"
    assert main(["inspect", str(PAGE), "--url", URL, "--html", str(report), "--check-script"]) == 0
    listing = capsys.readouterr().out
    labelled = len(re.findall(r"<[a-z][a-z0-9]*\s[^>]*data-sieve=\"", report.read_text("utf-8")))
    assert labelled > 20 and " body " in listing
    plain = tmp_path / "plain.html"
    assert main(["inspect", str(PAGE), "--url", URL, "--html", str(plain)]) == 0
    assert "<script" not in plain.read_text("utf-8").lower()  # the report itself has no script

    shot = tmp_path / "report.png"
    done = _run(browser, f"--screenshot={shot}", report.as_uri(), cwd=tmp_path)
    assert shot.is_file(), done.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a real, non-blank picture
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1400, 900)

    dom = _run(browser, "--dump-dom", report.as_uri(), cwd=tmp_path).stdout
    match = re.search(r'data-sieve-check="([^"]*)"', dom)
    assert match, "the report's check script did not run"
    check = json.loads(html.unescape(match.group(1)))
    assert check["labelled"] == labelled  # every labelled block of the page is in the laid-out DOM...
    assert check["visible"] >= labelled - 2  # ...shown (a hidden element may hold one)...
    assert check["outlined"] == check["visible"]  # ...and every shown one is outlined in its color
    assert check["article_chars"] > 2000  # the rendered article is there...
    assert check["article_left"] >= 600  # ...in the right-hand pane
    for text in ("What the sensors measure", "Hourly rise", "A number on a website is great"):
        assert text in dom
