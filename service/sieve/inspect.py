"""``sieve inspect``: every block of a page with its label and the signals that decided it.

The text listing is for a terminal; the HTML report is the page itself (scripts, styles and remote
resources removed, so it is self-contained and safe to open) with every block outlined and colored
by its label, a legend, and the table of blocks, for people tuning the classifier.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from sieve.contracts import CONTENT_LABELS, Label
from sieve.extract import Analysis, analyse

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
    nodes: list[LexborNode]


def inspect_page(data: str | bytes, *, url: str | None = None) -> Inspection:
    nodes: list[LexborNode] = []
    analysis = analyse(data, url=url, keep_nodes=nodes)
    return Inspection(analysis, nodes)


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


def render_report(inspection: Inspection) -> str:
    """A self-contained HTML page: the page with its blocks outlined, then the legend and table."""
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
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>sieve inspect: {title}</title><style>{_style()}</style></head><body>"
        f"{page_html}<section id='sieve-panel'><h2>sieve: {len(analysis.blocks)} blocks</h2>"
        f"<p>{legend}</p><table><tr><th>#</th><th>label</th><th>score</th><th>text</th><th>signals</th></tr>"
        f"{rows}</table></section></body></html>"
    )
