"""Server error messages printed into the page: not text of the page.

A PHP site with error display on prints its warnings into the HTML wherever the failing code ran, in
one fixed form: ``<b>Warning</b>:  mysql_connect(): Access denied … in <b>/www/htdocs/…/plugin.php</b>
on line <b>299</b>``. Old blogs carry dozens of them, in a sidebar, before the ``<html>`` element or in
the middle of a post; a screen of them reads as long prose and can outvote the post itself for the
article's region. No author writes them: they are the server's, and go from the blocks' text before
the blocks are labelled. A code block (``<pre>``, ``<code>``) keeps them: a post about PHP quotes them.
"""

from __future__ import annotations

import re
from typing import Final

from sieve.blocks import Block

#: PHP's displayed error: its level, a colon, the message, then "in <file> on line <n>".
PHP_ERROR: Final = re.compile(
    r"(?:PHP )?(?:Warning|Notice|Deprecated|Strict Standards|(?:Catchable |Recoverable )?Fatal error|Parse error):"
    r"[^\n]{1,600}? in \S+ on line \d+\s*"
)
#: What such a block opens with: PHP prints the message where the failing code's output would start.
LEVELS: Final = (
    "Warning:",
    "Notice:",
    "Deprecated:",
    "Strict Standards:",
    "Fatal error:",
    "Parse error:",
    "Catchable fatal error:",
    "Recoverable fatal error:",
    "PHP ",
)
#: The shortest message: "Notice: x in /a.php on line 1".
_SHORTEST: Final = 30
_CODE: Final = frozenset({"pre", "code"})


def strip_server_errors(blocks: list[Block]) -> None:
    """Remove PHP error messages from the text of the blocks that open with one (a block that was
    nothing else is left empty, which the classifier reads as no text). A block is looked into only
    when it opens with an error level ("Warning:", "Deprecated:"…): a few µs a page."""
    for b in blocks:
        if b.chars < _SHORTEST or not b.text.startswith(LEVELS) or b.tag in _CODE:
            continue
        text, found = PHP_ERROR.subn("", b.text)
        if not found:
            continue
        b.text = text = text.strip()
        b.chars = len(text)
        b.link_chars = min(b.link_chars, b.chars)
        b.link_density = b.link_chars / b.chars if b.chars else 0.0
