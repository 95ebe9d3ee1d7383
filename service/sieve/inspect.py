"""``sieve inspect``: every block of a page with its label and the signals that decided it.

The text listing is for a terminal; the HTML report is a side-by-side view: on the left the page
itself (scripts, styles and remote resources removed, so it is self-contained and safe to open) with
every block outlined and colored by its label; on the right the extracted article, rendered from the
same typed blocks its ``markdown`` is written from (with the Markdown source under it); then the
legend and the table of blocks, for people tuning the classifier. The report has no script, unless
asked for the report's own layout check (``--check-script``): once the page is laid out, it writes
how many labelled blocks are visible and outlined into ``data-sieve-check`` on ``<body>``, which the
browser test reads.
"""

from __future__ import annotations

import html as html_lib
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from sieve.contracts import BODY_FORMATS, CONTENT_LABELS, Article, Label
from sieve.extract import Analysis, analyse, assemble

#: One color per label: content labels in greens/blues, boilerplate in reds/oranges/greys.
COLORS: Mapping[Label, str] = {
    Label.BODY: "#1a9850",
    Label.HEADLINE: "#2166ac",
    Label.BYLINE: "#4393c3",
    Label.DATELINE: "#92c5de",
    Label.CAPTION: "#5e3c99",
    Label.TAGS: "#8073ac",
    Label.TRENDING: "#d73027",
    Label.JUST_IN: "#f46d43",
    Label.SEE_ALL: "#fdae61",
    Label.TOP_STORIES: "#e08214",
    Label.MOST_POPULAR: "#b2182b",
    Label.VIDEO: "#c51b7d",
    Label.SPONSORED: "#de77ae",
    Label.RELATED: "#fee08b",
    Label.NEWSLETTER: "#bf812d",
    Label.SHARE: "#80cdc1",
    Label.COMMENTS: "#35978f",
    Label.NAV: "#878787",
    Label.FOOTER: "#4d4d4d",
    Label.AD: "#e7298a",
    Label.OTHER: "#bababa",
}


@dataclass(slots=True)
class Inspection:
    analysis: Analysis
    nodes: dict[int, LexborNode]
    article: Article


def inspect_page(data: str | bytes, *, url: str | None = None) -> Inspection:
    nodes: dict[int, LexborNode] = {}
    started = time.perf_counter()
    analysis = analyse(data, url=url, keep_nodes=nodes)
    article = assemble(analysis, url=url, started=started, formats=BODY_FORMATS)
    return Inspection(analysis, nodes, article)


def _preview(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def text_lines(inspection: Inspection, width: int = 70) -> Iterator[str]:
    """One line per block: index, label, score, element, preview, signals."""
    tags = inspection.analysis.page.tags
    for block in inspection.analysis.blocks:
        yield (
            f"{block.index:4d}  {block.label.value:<12} {block.score:4.1f}  {tags[block.owner]:<10} "
            f"{_preview(block.text, width):<{width}}  {'; '.join(block.why)}"
        )


def _style() -> str:
    rules = [
        "html,body{margin:0}",
        "#sieve-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0;height:100vh}",
        "#sieve-page,#sieve-article{overflow:auto;height:100vh;box-sizing:border-box;padding:12px}",
        "#sieve-article{border-left:4px solid #333;background:#fff;color:#111;font:16px/1.5 Georgia,serif}",
        "#sieve-article h1{font:bold 24px/1.25 sans-serif}",
        ".sieve-img{display:block;border:1px dashed #999;background:#eee;padding:24px 8px;font:12px sans-serif;"
        "color:#555}",
        "#sieve-article table{border-collapse:collapse}#sieve-article td,#sieve-article th{border:1px solid #ccc;"
        "padding:2px 6px}",
        "#sieve-article pre{background:#f4f4f4;padding:8px;overflow:auto}",
        ".sieve-pane-title{font:bold 12px/1.6 monospace;background:#333;color:#fff;padding:2px 8px;margin:-12px "
        "-12px 12px}",
        "#sieve-markdown{white-space:pre-wrap;font:12px/1.4 monospace;background:#f7f7f7;padding:8px}",
        "[data-sieve]{outline:2px solid var(--c);outline-offset:1px;position:relative}",
        "[data-sieve]::before{content:attr(data-sieve);position:absolute;top:-1px;right:-1px;font:10px/1.4 "
        "monospace;background:var(--c);color:#fff;padding:0 3px;z-index:2}",
        "#sieve-panel{font:13px/1.4 sans-serif;border-top:4px solid #333;margin-top:40px;padding:12px;"
        "background:#fafafa;color:#111}",
        "#sieve-panel table{border-collapse:collapse;width:100%}",
        "#sieve-panel td{border-bottom:1px solid #ddd;padding:2px 6px;vertical-align:top}",
        ".sieve-swatch{display:inline-block;margin:2px 8px 2px 0;padding:0 6px;color:#fff}",
    ]
    rules += [f'[data-sieve="{label.value}"]{{--c:{color}}}' for label, color in COLORS.items()]
    return "\n".join(rules)


def render_report(inspection: Inspection, *, check_script: bool = False) -> str:
    """A self-contained HTML page, without scripts: the page with its blocks outlined beside the
    rendered article, then the legend and table. ``check_script`` adds the report's own small
    layout check (``data-sieve-check``), for the browser test."""
    analysis, nodes = inspection.analysis, inspection.nodes
    marked: dict[int, Label] = {}
    for block in analysis.blocks:
        current = marked.get(block.owner)
        if current is None or (block.label in CONTENT_LABELS and current not in CONTENT_LABELS):
            marked[block.owner] = block.label
    for owner, label in marked.items():
        node = nodes[owner]
        if node.tag not in ("body", "html"):
            node.attrs["data-sieve"] = label.value
    tree = analysis.tree
    tree.strip_tags(["link", "img", "source", "base", "meta"])
    body = tree.body
    page_html = body.html if body is not None else ""
    page_html = (page_html or "").removeprefix("<body").split(">", 1)[-1].rsplit("</body>", 1)[0]

    counts: dict[str, int] = {}
    for block in analysis.blocks:
        counts[block.label.value] = counts.get(block.label.value, 0) + 1
    legend = "".join(
        f'<span class="sieve-swatch" style="background:{COLORS[Label(name)]}">{name} ({n})</span>'
        for name, n in sorted(counts.items())
    )
    rows = "".join(
        f"<tr><td>{b.index}</td><td><span class='sieve-swatch' style='background:{COLORS[b.label]}'>"
        f"{b.label.value}</span></td><td>{b.score:.1f}</td><td>{html_lib.escape(_preview(b.text, 140))}</td>"
        f"<td>{html_lib.escape('; '.join(b.why))}</td></tr>"
        for b in analysis.blocks
    )
    title = html_lib.escape(analysis.meta.title or "page")
    article = inspection.article
    headline = html_lib.escape(article.title or "")
    facts = html_lib.escape(
        f"{article.page_type} ({article.page_type_confidence:.2f}) · quality {article.quality:.2f} · "
        f"{article.language or '?'} · {article.word_count} words · {len(article.images)} images"
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>sieve inspect: {title}</title><style>{_style()}</style></head><body>"
        "<div id='sieve-grid'>"
        f"<div id='sieve-page'><div class='sieve-pane-title'>page: blocks by label</div>{page_html}"
        f"<section id='sieve-panel'><h2>sieve: {len(analysis.blocks)} blocks</h2>"
        f"<p>{legend}</p><table><tr><th>#</th><th>label</th><th>score</th><th>text</th><th>signals</th></tr>"
        f"{rows}</table></section></div>"
        "<div id='sieve-article'><div class='sieve-pane-title'>extracted: markdown, rendered</div>"
        f"<p><small>{facts}</small></p><h1>{headline}</h1>"
        f"<article id='sieve-rendered'>{_offline(article.html or '')}</article>"
        "<details><summary>Markdown source</summary>"
        f"<pre id='sieve-markdown'>{html_lib.escape(article.markdown or '')}</pre></details>"
        f"</div></div>{f'<script>{_CHECK}</script>' if check_script else ''}</body></html>"
    )


_IMG = re.compile(r'<img src="([^"]*)" alt="([^"]*)"[^>]*>')


def _offline(html: str) -> str:
    """The rendered article without remote requests: each image becomes a labelled box (the HTML is
    sieve's own, so its ``<img>`` tags have exactly the form matched here)."""
    return _IMG.sub(
        lambda m: f"<span class='sieve-img' title='{m.group(1)}'>image: {m.group(2) or m.group(1)}</span>", html
    )


#: Counts, once laid out, the labelled blocks that are visible and outlined (for the browser test).
_CHECK = (
    "addEventListener('load',function(){var n=0,shown=0,outlined=0;"
    "document.querySelectorAll('#sieve-page [data-sieve]').forEach(function(el){n++;"
    "var r=el.getBoundingClientRect(),s=getComputedStyle(el);if(r.width>0&&r.height>0){shown++;"
    "if(s.outlineStyle==='solid'&&parseFloat(s.outlineWidth)>=2)outlined++;}});"
    "var art=document.getElementById('sieve-rendered');"
    "document.body.setAttribute('data-sieve-check',JSON.stringify({labelled:n,visible:shown,outlined:outlined,"
    "article_chars:art?art.innerText.length:0,article_left:art?Math.round(art.getBoundingClientRect().left):-1}));});"
)
