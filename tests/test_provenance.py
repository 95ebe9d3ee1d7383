"""Print-edition notes (sieve.provenance): where a text appeared on paper is the publisher's record,
not the text. Small synthetic pages written here; no rule names a site."""

from __future__ import annotations

import pytest

from sieve.extract import extract
from sieve.provenance import PRINT_NOTE

BODY = [
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, ending "
    "a decade of debate about the crossing's future and its rising repair bill.",
    "Cyclists and walkers will keep using the bridge, the council said, while buses move to the new "
    "crossing two kilometres upstream once its last lane opens in March.",
    "Shop owners on the quay had argued for a later date, saying the works would cut them off during the "
    "busiest months of the year, but the vote passed by a wide margin.",
]


def page(note: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in BODY)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Council closes bridge</title></head>"
        "<body><header><nav><a href='/'>Home</a> <a href='/city'>City</a></nav></header><main><article>"
        "<h1>Council closes the harbour bridge to cars</h1><p class='byline'>By Ann Lee</p>"
        f"<div class='article-body'>{paras}<p>{note}</p></div></article></main>"
        "<footer><p>© 2024 The Daily Example</p></footer></body></html>"
    )


@pytest.mark.parametrize(
    "note",
    [
        "A version of this article appears in print on March 4, 2024, on Page A7 of the City edition with "
        "the headline: Bridge Closes to Cars. <a href='/reprints'>Order Reprints</a> | <a href='/paper'>"
        "Today's Paper</a> | <a href='/subscribe'>Subscribe</a>",
        "This article appeared in the April 2024 issue of The Example Monthly.",
        "Dieser Beitrag stammt aus Ausgabe 7/2019 der Example Review. Das Heft ist ab 20.06.2019 im Handel.",
        "Dieser Artikel erschien zuerst in der EXAMPLE 10/22.",
        "Zuerst erschienen in der Printausgabe 3/2020 der Example Review.",
    ],
)
def test_a_print_edition_note_after_the_body_is_not_body(note: str) -> None:
    article = extract(page(note), url="https://news.example/city/2024/03/04/bridge-closes")
    assert article.paragraphs == BODY


@pytest.mark.parametrize(
    "text",
    [
        "Cet article est paru dans l'édition du 4 mars 2024.",
        "Este artículo fue publicado originalmente en la edición impresa del 4 de marzo.",
        "Questo articolo è stato pubblicato sul numero 12 di Esempio.",
        "Este artigo foi publicado na edição impressa de 4 de março.",
        "Dit artikel verscheen in de krant van 4 maart.",
    ],
)
def test_print_notes_in_other_languages(text: str) -> None:
    assert PRINT_NOTE.match(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "This article is about the bridge, which first appeared on maps in 1870.",
        "The article appeared in the March issue of a journal, and the authors were surprised.",
        "Dieser Artikel erschien zuerst auf example.org.",
        "A version of the plan was shown to the council in May.",
        "Publicado en la revista Science, el estudio muestra que los corales se recuperan.",
    ],
)
def test_prose_about_articles_and_online_republication_notes_are_not_print_notes(text: str) -> None:
    assert PRINT_NOTE.match(text) is None
