"""sieve: turn raw news pages into clean article events.

The extraction core (this package minus ``sieve.pipeline``) knows nothing of Kafka::

    import sieve
    article = sieve.extract(html_bytes, url="https://example.com/a", headers={"content-type": "..."})
    article.to_json()
"""

from sieve.contracts import (
    Article,
    ErrorKind,
    ExtractionError,
    Image,
    Label,
    LinkItem,
    PageType,
)
from sieve.extract import extract
from sieve.version import __version__

__all__ = [
    "Article",
    "ErrorKind",
    "ExtractionError",
    "Image",
    "Label",
    "LinkItem",
    "PageType",
    "__version__",
    "extract",
]
