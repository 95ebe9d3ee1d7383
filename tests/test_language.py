"""Language from function words (sieve.language.detect_language); thin evidence gives None."""

from __future__ import annotations

import pytest

import sieve
from sieve.language import detect_language

ENGLISH = (
    "The city council voted on Tuesday to approve the new budget for the coming year. Members of the "
    "council said that the plan was the result of months of work, and that it would protect the jobs "
    "of teachers and firefighters. The mayor, who had argued for deeper cuts, said he was not happy with "
    "the vote but that he would sign the bill because it was better than a shutdown of the city government."
)
SPANISH = (
    "El Ayuntamiento aprobó el martes el nuevo presupuesto para el próximo año. Los concejales dijeron que "
    "el plan es el resultado de meses de trabajo y que protegerá los empleos de los maestros y de los "
    "bomberos de la ciudad. El alcalde, que había pedido recortes más profundos, dijo que no estaba contento "
    "con la votación, pero que firmará la ley porque es mejor que un cierre del gobierno municipal."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag den neuen Haushalt für das kommende Jahr beschlossen. Die Mitglieder des "
    "Rates sagten, dass der Plan das Ergebnis von monatelanger Arbeit sei und die Arbeitsplätze der Lehrer "
    "und der Feuerwehr schützen werde. Der Bürgermeister, der sich für tiefere Kürzungen eingesetzt hatte, "
    "ist mit dem Ergebnis nicht zufrieden, will das Gesetz aber auch unterschreiben, weil es besser sei als "
    "eine Schließung der Verwaltung."
)
FRENCH = (
    "Le conseil municipal a voté mardi le nouveau budget pour l'année à venir. Les élus ont déclaré que le "
    "plan est le résultat de plusieurs mois de travail et qu'il protégera les emplois des enseignants et des "
    "pompiers de la ville. Le maire, qui avait plaidé pour des coupes plus profondes, a dit qu'il n'est pas "
    "satisfait du vote, mais qu'il signera le texte parce que c'est mieux qu'une fermeture de la mairie."
)


@pytest.mark.parametrize(
    ("text", "code"),
    [(ENGLISH, "en"), (SPANISH, "es"), (GERMAN, "de"), (FRENCH, "fr")],
    ids=["en", "es", "de", "fr"],
)
def test_paragraphs_are_detected(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Hello world",
        "Breaking news",
        "Kharkiv",
        "123 456 7890 2022 3.14 42",
        "09/10/22 12:09 PM ET",
        "!!! ??? ... --- ***",
        "Donald Trump Joe Biden Vladimir Putin Volodymyr Zelensky",
    ],
)
def test_short_or_numeric_text_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_mixed_text_without_a_clear_winner_gives_none() -> None:
    half_en = "the of and to in is that for it was on with as he"
    half_de = "der die und in den von zu das mit sich des auf für ist"
    assert detect_language(f"{half_en} {half_de}") is None


def page(paragraphs: list[str], lang_attr: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    head = "<head><title>Budget</title></head>"
    return f"<html{lang_attr}>{head}<body><article><h1>Budget</h1>{body}</article></body></html>"


def test_extract_detects_language_when_the_page_declares_none() -> None:
    article = sieve.extract(page([SPANISH, SPANISH.replace("martes", "miércoles")]))
    assert article.language == "es"


def test_declared_language_wins_over_detection() -> None:
    article = sieve.extract(page([ENGLISH], lang_attr=' lang="de-AT"'))
    assert article.language == "de"
