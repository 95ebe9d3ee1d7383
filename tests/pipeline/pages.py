"""Simple HTML pages of our own for the pipeline tests (assert on pipeline behaviour, not on text)."""

from __future__ import annotations

import base64

import orjson

_TEXT = (
    "the council voted on tuesday to approve the new budget after a long debate about schools roads "
    "housing parks libraries and the transport plan for the next five years in the growing city"
)
WORDS = _TEXT.split(" ")


def _paragraph(seed: int, n: int = 55) -> str:
    return " ".join(WORDS[(seed * 7 + j * 3) % len(WORDS)] for j in range(n)).capitalize() + "."


def article_html(i: int, variant: int = 0, paragraphs: int = 7) -> str:
    body = "".join(f"<p>{_paragraph(i + k + variant * 101)}</p>" for k in range(paragraphs))
    return (
        f"<!doctype html><html lang='en'><head><title>Story {i} | Daily Example</title>"
        f"<meta property='og:type' content='article'></head><body>"
        f"<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header><main><article>"
        f"<h1>Story number {i} about the city budget</h1><p class='byline'>By Reporter {i}</p>"
        f"{body}</article></main><footer><a href='/about'>About us</a></footer></body></html>"
    )


def section_front_html(i: int) -> str:
    links = "".join(f"<li><a href='/news/{i}-{k}'>Headline {k} of section {i}</a></li>" for k in range(30))
    return f"<html><head><title>Section {i}</title></head><body><nav><ul>{links}</ul></nav></body></html>"


def article_url(i: int) -> str:
    return f"https://news.example.com/2026/11/story-{i}"


def envelope(url: str, html: str, **extra: object) -> bytes:
    return orjson.dumps({"url": url, "html": html, "fetched_at": "2026-11-25T08:00:00Z", "crawl_id": "t", **extra})


def envelope_b64(url: str, data: bytes, **extra: object) -> bytes:
    return orjson.dumps({"url": url, "html_b64": base64.b64encode(data).decode(), **extra})
