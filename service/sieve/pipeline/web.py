"""HTTP endpoints on faust's web server (aiohttp).

* ``GET /healthz``: liveness, 503 when an agent crashed, no progress was made for
  ``SIEVE_STALL_SECONDS`` while input is waiting, or a partition's offset commits stalled;
* ``GET /readyz``: 200 once all four agents (pages, articles, links, bands) run and no rebalance is
  in progress;
* ``GET /metrics``: Prometheus text format;
* ``POST /extract``: the event for a posted page (a JSON envelope as on ``pages.raw``, or raw HTML
  with ``?url=``); for debugging, nothing is published.

The answers come from ``Pipeline.probes`` (``health.py``).
"""

from __future__ import annotations

from typing import Any

from faust.web import Request, Response, View

from sieve.contracts import ExtractionError
from sieve.pipeline.app import Pipeline
from sieve.pipeline.envelope import EnvelopeError, RawPage, decode
from sieve.pipeline.metrics import CONTENT_TYPE


def _error(web: View, status: int, kind: str, message: str, stage: str) -> Response:
    return web.json({"error": {"kind": kind, "message": message, "stage": stage}}, status=status)


async def extract_response(pipeline: Pipeline, web: View, body: bytes, content_type: str, url: str | None) -> Response:
    """The ``POST /extract`` logic: decode, extract, say where the page would be published."""
    limit = pipeline.settings.max_page_bytes
    try:
        if "json" in content_type:
            page = decode(body, (), max_page_bytes=limit)
        elif url:
            page = decode(body, [("url", url.encode("utf-8"))], max_page_bytes=limit)
        else:  # raw HTML without a URL is fine for debugging
            if not body.strip():
                return _error(web, 400, "empty_html", "post a page", "decode")
            page = RawPage(url="", html=body, form="bare")
    except EnvelopeError as exc:
        return _error(web, 400, str(exc.kind), exc.message, "decode")
    try:
        article = await pipeline.run_extract(page)
    except ExtractionError as exc:
        return _error(web, 422, str(exc.kind), exc.message, "extract")
    s = pipeline.settings
    topic = s.topic_clean if article.page_type == "article" else s.topic_skipped
    return web.json({"topic": topic, "event": article.to_dict()})


def install(pipeline: Pipeline) -> None:
    """Register the endpoints on the pipeline's faust app."""
    app = pipeline.app

    @app.page("/healthz")
    async def healthz(web: View, request: Request) -> Response:
        ok, body = pipeline.probes.health()
        return web.json(body, status=200 if ok else 503)

    @app.page("/readyz")
    async def readyz(web: View, request: Request) -> Response:
        ready, body = pipeline.probes.readiness()
        return web.json(body, status=200 if ready else 503)

    @app.page("/metrics")
    async def metrics(web: View, request: Request) -> Response:
        pipeline.probes.refresh_gauges()
        return web.text(pipeline.metrics.render(), content_type=CONTENT_TYPE)

    class ExtractView(View):
        async def post(self, request: Request, **kwargs: Any) -> Response:
            body = await request.read()
            content_type = str(request.headers.get("Content-Type", ""))
            url = request.query.get("url")
            return await extract_response(pipeline, self, body, content_type, url)

    app.page("/extract")(ExtractView)
