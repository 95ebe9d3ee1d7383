"""Language from function words (sieve.language.detect_language); thin evidence gives None."""

from __future__ import annotations

import pytest

import sieve
from sieve import language
from sieve.language import confirms, detect_language, resolve_language

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


def test_declared_language_is_kept_when_the_text_agrees_or_is_too_short_to_tell() -> None:
    assert sieve.extract(page([GERMAN], lang_attr=' lang="de-AT"')).language == "de"
    short = "Der Stadtrat hat am Dienstag den Haushalt beschlossen."
    assert sieve.extract(page([short], lang_attr=' lang="fr"')).language == "fr"


def test_a_wrong_declaration_is_corrected_by_the_text() -> None:
    """Templates often say lang="en" on every page; an article clearly in another language wins."""
    assert sieve.extract(page([ENGLISH], lang_attr=' lang="de-AT"')).language == "en"
    assert sieve.extract(page([SPANISH, GERMAN.replace("Der", "Die")[:10]], lang_attr=' lang="en"')).language == "es"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Il consiglio comunale ha approvato martedì il nuovo bilancio per il prossimo anno, dopo mesi di lavoro "
            "e di discussioni con i sindacati degli insegnanti e dei vigili del fuoco della città.",
            "it",
        ),
        (
            "A câmara municipal aprovou na terça-feira o novo orçamento para o próximo ano, depois de meses de "
            "trabalho e de negociações com os sindicatos dos professores e dos bombeiros da cidade.",
            "pt",
        ),
        (
            "Gemeenteraad keurde dinsdag de nieuwe begroting voor het komende jaar goed, na maanden van werk en "
            "overleg met de vakbonden van de leraren en de brandweer van de stad.",
            "nl",
        ),
        (
            "Городской совет во вторник утвердил новый бюджет на следующий год после нескольких месяцев работы "
            "и переговоров с профсоюзами учителей и пожарных города.",
            "ru",
        ),
        (
            "Rada miasta zatwierdziła we wtorek nowy budżet na przyszły rok po miesiącach pracy i rozmów ze "
            "związkami zawodowymi nauczycieli i strażaków.",
            "pl",
        ),
    ],
    ids=["it", "pt", "nl", "ru", "pl"],
)
def test_extract_detects_more_languages_than_the_function_word_lists(text: str, code: str) -> None:
    article = sieve.extract(page([text, text.replace(",", ";")]))
    assert article.language == code


def test_detection_survives_characters_the_detector_refuses() -> None:
    """Lone surrogates and control characters (bad decodes) must not escape as an error."""
    noisy = GERMAN.replace("Haushalt", "Haus\ud800halt").replace("Jahr", "Ja\x01hr")
    article = sieve.extract(page([noisy, noisy]))
    assert article.language == "de"


def test_function_words_confirm_a_declaration_in_the_text_s_language() -> None:
    assert confirms("en", f"{ENGLISH} {ENGLISH}")
    assert confirms("de", f"{GERMAN} {GERMAN}")
    assert confirms("es", f"{SPANISH} {SPANISH}")


@pytest.mark.parametrize(
    ("declared", "text"),
    [
        ("de", f"{ENGLISH} {ENGLISH}"),  # another language: its function words are a few chance homographs
        ("en", f"{GERMAN} {GERMAN}"),
        ("en", f"{SPANISH} {SPANISH}"),
        ("en", "the of and to in is that for it was on with as he be"),  # too few words to tell
        ("ru", f"{ENGLISH} {ENGLISH}"),  # no function-word list: only CLD2 can tell
    ],
    ids=["en-text-declared-de", "de-text-declared-en", "es-text-declared-en", "short", "no-word-list"],
)
def test_function_words_do_not_confirm_other_text(declared: str, text: str) -> None:
    assert not confirms(declared, text)


def test_a_confirmed_declaration_skips_cld2_and_an_unconfirmed_one_asks_it(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def fake_cld2(text: str) -> tuple[str | None, bool, int]:
        asked.append(text)
        return "es", True, 99

    monkeypatch.setattr(language, "_cld2", fake_cld2)
    assert resolve_language("en", f"{ENGLISH} {ENGLISH}") == "en"
    assert asked == []
    assert resolve_language("en", f"{SPANISH} {SPANISH}") == "es"
    assert len(asked) == 1
