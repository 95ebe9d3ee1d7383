"""Domain knowledge (sieve.lexicon): boilerplate headings and class/id/role/itemprop hints.

Markup keys have the form "tag.class #id @role ~itemprop" (as sieve.segment builds them).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sieve.contracts import Label
from sieve.lexicon import (
    AD_TEXT,
    APPEAL_TEXT,
    BYLINE_TEXT,
    CREDIT_TEXT,
    DATE_TEXT,
    END_MATTER,
    FILE_PHOTO_PREFIX,
    FOLLOW_TEXT,
    FOOTER_LINK,
    LOGIN_TEXT,
    POSTED_IN_TEXT,
    PUBLISHED_TEXT,
    SHARE_HREF,
    UI_TEXT,
    heading_label,
    markup_hint,
)
from sieve.phrases import DISCLOSURE_TEXT, PAYWALL_TEXT
from sieve.signals import _credit, _figure, _newsletter, _reader_prompt, _share_href

# --- heading_label --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("Trending", Label.TRENDING),
        ("Trending:", Label.TRENDING),
        ("TRENDING NOW", Label.TRENDING),
        ("Most Popular", Label.MOST_POPULAR),
        ("MOST POPULAR", Label.MOST_POPULAR),
        ("Most Read", Label.MOST_POPULAR),
        ("Most viewed", Label.MOST_POPULAR),
        ("Just In...", Label.JUST_IN),
        ("Just In", Label.JUST_IN),
        ("Latest News", Label.JUST_IN),
        ("More International News", Label.SEE_ALL),
        ("More Politics News", Label.SEE_ALL),
        ("See All", Label.SEE_ALL),
        ("See all", Label.SEE_ALL),
        ("View all", Label.SEE_ALL),
        ("Top Stories", Label.TOP_STORIES),
        ("Video/Hill.TV", Label.VIDEO),
        ("Videos", Label.VIDEO),
        ("Related stories", Label.RELATED),
        ("Related Articles", Label.RELATED),
        ("You may also like", Label.RELATED),
        ("Read more", Label.RELATED),
        ("Lo más leído", Label.MOST_POPULAR),
        ("Más leídas", Label.MOST_POPULAR),
        ("Meistgelesen", Label.MOST_POPULAR),
        ("Te puede interesar", Label.RELATED),
        ("Sponsored Stories", Label.SPONSORED),
        ("Sign up for our newsletter", Label.NEWSLETTER),
        ("Share this article", Label.SHARE),
        ("Comments", Label.COMMENTS),
        ("Comments (12)", Label.COMMENTS),
        ("Tags:", Label.TAGS),
        ("  Most Popular  ", Label.MOST_POPULAR),
        ("Most Popular »", Label.MOST_POPULAR),
        # the same headings in other languages
        ("Ähnliche Beiträge", Label.RELATED),
        ("Das könnte dich auch interessieren:", Label.RELATED),
        ("Weiterführende Informationen", Label.RELATED),
        ("Lesen Sie auch", Label.RELATED),
        ("Temas relacionados", Label.RELATED),
        ("Otras noticias", Label.RELATED),
        ("Articles similaires", Label.RELATED),
        ("Articoli correlati", Label.RELATED),
        ("Czytaj także", Label.RELATED),
        ("Diesen Artikel teilen", Label.SHARE),
        ("Partager cet article", Label.SHARE),
        ("Schreibe einen Kommentar", Label.COMMENTS),
        ("Leave a Reply", Label.COMMENTS),
        ("Newsletter bestellen", Label.NEWSLETTER),
        ("Schlagworte", Label.TAGS),
        ("Étiquettes :", Label.TAGS),
        ("Inhaltsverzeichnis", Label.NAV),
        ("Keine Kommentare", Label.COMMENTS),
        ("Le puede interesar", Label.RELATED),
        ("Aktuelle Berichte aus dieser Kategorie:", Label.RELATED),
        ("Alle Nachrichten zum Naturschutz in Bayern", Label.SEE_ALL),
        ("Vorschau auf den nächsten Artikel", Label.NAV),
        ("Next article", Label.NAV),
        ("Article précédent", Label.NAV),
        ("Pressekontakt:", Label.FOOTER),
        ("Kontakte", Label.FOOTER),
        ("Ansprechpartner", Label.FOOTER),
        ("Ansprechpartnerin zum Thema:", Label.FOOTER),
        ("Media contacts", Label.FOOTER),
        ("About the author", Label.FOOTER),
        ("Über die Autorin", Label.FOOTER),
        ("À propos de l'auteur", Label.FOOTER),
        ("Sobre el autor", Label.FOOTER),
        ("O autorze", Label.FOOTER),
    ],
)
def test_boilerplate_headings(heading: str, label: Label) -> None:
    assert heading_label(heading) is label


@pytest.mark.parametrize(
    "text",
    [
        "Russian Defense Ministry says forces pulling back from area near Kharkiv",
        "What happens next",
        "Background",
        "Analysis",
        "Ukraine",
        "The president said on Tuesday that the talks would continue next week.",
        "Most of the residents had already left the village by Friday.",
        "Trending upward: why mortgage rates keep rising",
        "Popularity of electric cars soars in Norway",
        "Related to the case, police arrested two men",
        "More than 200 people were evacuated from the coastal towns overnight",
        "Just in time for the holidays, prices fell",
        "Videos of the flood spread quickly on social media, prompting the mayor to respond",
        "Comments from the minister drew criticism from the opposition parties",
        "Top officials met behind closed doors",
        "",
        "Most Popular " * 10,
        "Weitere Schritte der Regierung",
        "Die Mehrheit der Abgeordneten stimmte zu",
        "Relacionamos los datos con el censo de 2010",
        "Teilnehmer",
        "About the author's new novel, critics were divided",
        "Über den Autor des Gesetzes wurde viel gestritten",
    ],
)
def test_ordinary_headings_and_sentences_are_not_boilerplate(text: str) -> None:
    assert heading_label(text) is None


# --- markup_hint ----------------------------------------------------------------------------------


def hint(key: str) -> Label | None:
    found = markup_hint(key)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("div.most-popular-list # @ ~", Label.MOST_POPULAR),
        ("div.mostPopular # @ ~", Label.MOST_POPULAR),
        ("section. #most-read @ ~", Label.MOST_POPULAR),
        ("div.RightRailContainer # @ ~", Label.OTHER),
        ("div.sidebar # @ ~", Label.OTHER),
        ("div. # @complementary ~", Label.OTHER),
        ("div.c-article-footer__share # @ ~", Label.SHARE),
        ("div.sidebar__newsletter # @ ~", Label.NEWSLETTER),
        ("div.trending-bar # @ ~", Label.TRENDING),
        ("div.ad-unit # @ ~", Label.AD),
        ("div.ad-300 # @ ~", Label.AD),
        ("div.related-articles # @ ~", Label.RELATED),
        ("div.relatedArticles # @ ~", Label.RELATED),
        ("section.newsletter-signup # @ ~", Label.NEWSLETTER),
        ("nav. # @ ~", Label.NAV),
        ("div. # @navigation ~", Label.NAV),
        ("ul.breadcrumbs # @ ~", Label.NAV),
        ("footer.site-footer # @ ~", Label.FOOTER),
        ("div. # @contentinfo ~", Label.FOOTER),
        ("div.comments # @ ~", Label.COMMENTS),
        ("div.outbrain-widget # @ ~", Label.OTHER),  # "widget" is rightmost
        ("div.OUTBRAIN # @ ~", Label.SPONSORED),
        ("div.byline # @ ~", Label.BYLINE),
        ("span. # @ ~author", Label.BYLINE),
        ("figcaption. # @ ~", Label.CAPTION),
        ("div.photo-credit # @ ~", Label.CAPTION),
        ("div.tag-list # @ ~", Label.TAGS),
        ("div.video-rail # @ ~", Label.VIDEO),
        ("div.top-stories # @ ~", Label.TOP_STORIES),
        ("div.just-in # @ ~", Label.JUST_IN),
        ("div.promoted-content # @ ~", Label.SPONSORED),
        ("div.promoted-stories # @ ~", Label.SPONSORED),
    ],
)
def test_markup_hints(key: str, label: Label) -> None:
    assert hint(key) is label


@pytest.mark.parametrize(
    "key",
    [
        "div.article-body # @ ~",
        "div.articleBody # @ ~",
        "div.story-text # @ ~",
        "div.entry-content # @ ~",
        "div.post-content # @ ~",
        "div. #article-body @ ~",
        "div. # @ ~articleBody",
        "div.article-body has-ads # @ ~",
        "section.c-article-body__content # @ ~",
    ],
)
def test_body_hints(key: str) -> None:
    assert hint(key) is Label.BODY


@pytest.mark.parametrize(
    "key",
    [
        "div.container # @ ~",
        "div.row col-md-8 # @ ~",
        "p. # @ ~",
        "div.shadow-box # @ ~",  # "ad" inside a word is no ad
        "div.badge # @ ~",
        "div.gradient-loading # @ ~",
        "div.headline-wrapper # @ ~",
        "div.thread # @ ~",
        "div. # @ ~",
        # Drupal's flag for a node promoted to the front page, printed on the article itself
        "article.node node--type-article node--promoted node--view-mode-full # @article ~",
        "div.node node-article node-promoted clearfix #node-205 @ ~",
        # page builders' layout classes around every block, the article's text too
        "div.elementor-widget-container # @ ~",
        "div.elementor-element elementor-widget elementor-widget-text-editor # @ ~",
        "div.et_pb_module et_pb_text et_pb_text_0 # @ ~",
        "div.vc_column-inner # @ ~",
        "div.wpb_wrapper # @ ~",
    ],
)
def test_neutral_keys_have_no_hint(key: str) -> None:
    assert markup_hint(key) is None


def test_page_builder_classes_still_name_their_content() -> None:
    assert hint("div.elementor-widget-sidebar # @ ~") is Label.OTHER
    assert hint("div.elementor-widget-container related-posts # @ ~") is Label.RELATED
    assert hint("aside.widget widget_recent_entries # @ ~") is not None  # a sidebar widget, no builder


@pytest.mark.parametrize(
    "key", ["div.most-popular # @ ~", "nav. # @ ~", "div.related-articles # @ ~", "div.ad-unit # @ ~"]
)
def test_boilerplate_list_hints_are_strong(key: str) -> None:
    # the module documents that a hint of weight >= 1.0 labels its whole subtree
    found = markup_hint(key)
    assert found is not None
    assert found[1] >= 1.0


# --- text patterns --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["By Jane Doe", "by Julia Shapero - 09/10/22 12:09 PM ET", "Por María López", "Von Hans Müller"]
)
def test_byline_text(text: str) -> None:
    assert BYLINE_TEXT.match(text)


@pytest.mark.parametrize("text", ["Bystanders watched the fire", "The by-election is next week", "Byron said"])
def test_not_byline_text(text: str) -> None:
    assert not BYLINE_TEXT.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "Firefighters battle the blaze on Tuesday. (AP Photo/Evgeniy Maloletka)",
        "The mayor speaks to reporters. Photo: Getty Images",
        "A view of the harbour. (Reuters)",
        "Protesters gather outside parliament. Credit: Jane Smith",
        # stock-photo agencies, also written as their domain
        "A cat asleep on a sofa. (mlharing / iStock.com)",
        "Hamburg harbour at night (picture-alliance)",
        "Sunflowers in a field near Vienna. Adobe Stock",
        "Fresh bread on a kitchen table. Pixabay",
    ],
)
def test_credit_text(text: str) -> None:
    assert CREDIT_TEXT.search(text)
    assert _credit(text)
    # signals._credit skips a text ending in a full stop: no form of the pattern can end that way
    assert not CREDIT_TEXT.search(text + ".")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_no_credit_ends_in_a_full_stop(text: str) -> None:
    assert not CREDIT_TEXT.search(" ".join(text.split()) + ".")


def test_prose_is_not_a_credit() -> None:
    assert not CREDIT_TEXT.search("The council approved the budget after a long debate on Tuesday night.")


@pytest.mark.parametrize(
    "text",
    [
        "Hat das Potential zum Olympia-Superstar: Mikaela Shiffrin. © AFP / JEFF PACHOUD",
        "Waren gute Freunde: Lee Elder und Gary Player. | © PGA of America via Getty Images",
        "Radfahren am Almkanal, Salzburg © Österreich Werbung / Ulli Cecerle-Uitz",
    ],
)
def test_a_caption_ending_in_a_copyright_credit(text: str) -> None:
    assert _credit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Copyright © 2023 The Associated Press. All rights reserved.",
        "© 2022, Gazette.com. This article is the copyright of the Gazette and may not be republished.",
    ],
)
def test_a_copyright_notice_is_no_photo_credit(text: str) -> None:
    assert not _credit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Updated 3:04 PM",
        "Published Sep. 10, 2022",
        "09/10/22 12:09 PM ET",
        "24. März 2004, 19:49 | Kultur",  # German day with its dot; a section after a bar
        "2021-10-16 | Presse",
    ],
)
def test_date_text(text: str) -> None:
    assert DATE_TEXT.match(text)


def test_prose_is_not_a_date_line() -> None:
    assert not DATE_TEXT.match("The storm hit the coast on Sep. 10, 2022, and knocked out power to thousands of homes.")
    assert not DATE_TEXT.match("24. März 2004 war ein Mittwoch, an dem die Regierung zurücktrat.")


@pytest.mark.parametrize(
    "text", ["Ottostraße 14 26899 Rhede /Ems", "Hauptstraße 5 10115 Berlin", "Rue Victor 12 75001 Paris"]
)
def test_an_address_with_a_postcode_is_no_date(text: str) -> None:
    # street, house number, a five-digit postcode: "14 2689" is no day and year (a year is four digits)
    assert not DATE_TEXT.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "Publiziert: 03.04.2020, 12:35",
        "Verfasst von: Max Muster | 31. Dezember 2008",
        "Erschienen am 3. Mai 2020",
        "Stand: 12.05.2021, 08:00 Uhr",
        "Veröffentlicht am 4. Juni 2019",
        "Updated on March 3, 2021",
    ],
)
def test_published_lines(text: str) -> None:
    assert PUBLISHED_TEXT.match(text)


@pytest.mark.parametrize(
    "text", ["Stand der Dinge ist, dass 2020 nichts passierte.", "Standing room only at the 2019 final."]
)
def test_prose_is_no_published_line(text: str) -> None:
    assert not PUBLISHED_TEXT.match(text)


def test_misc_patterns() -> None:
    assert AD_TEXT.match("Advertisement")
    assert AD_TEXT.match("ANZEIGE")
    assert not AD_TEXT.match("Advertisements for the new phone were everywhere")
    assert FOOTER_LINK.match("Privacy Policy")
    assert FOOTER_LINK.match("Contact Us")
    assert not FOOTER_LINK.match("Privacy advocates criticise the new law")
    assert SHARE_HREF.search("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample.com")
    assert SHARE_HREF.search("https://twitter.com/intent/tweet?url=x")
    assert not SHARE_HREF.search("https://www.facebook.com/SomeNewspaper")
    assert END_MATTER.match("Copyright 2022 The Associated Press. All rights reserved.")
    assert END_MATTER.match("© 2023 Example Media")
    assert not END_MATTER.match("The copyright dispute went to court in May.")
    # the same end matter and control labels in other languages
    assert END_MATTER.match("Alle Rechte vorbehalten.")
    assert END_MATTER.match("Weiterlesen: Stadtrat vertagt die Entscheidung")
    assert not END_MATTER.match("Weiterlesen konnte sie nicht mehr, das Licht ging aus.")
    assert END_MATTER.match("Lesen Sie hier: Wie der Stadtrat die Wahl vorbereitet")
    assert END_MATTER.match("Siehe auch: Die Chronik des Streits")
    assert END_MATTER.match("Dowiedz się więcej: Jak działa nowy podatek")
    assert not END_MATTER.match("Siehe auch die Stellungnahme der Ministerin vom Montag.")
    assert UI_TEXT.match("Rezept drucken")
    assert UI_TEXT.match("Bild anzeigen")
    assert not UI_TEXT.match("Drucken ließ der Verlag nur 500 Exemplare")
    assert UI_TEXT.match("Wie bewerten Sie diesen Artikel?")
    assert UI_TEXT.match("(Noch keine Bewertungen)")
    assert END_MATTER.match("PUEDES VER: ¿Qué es la Sunedu y por qué la reforma importa?")


@pytest.mark.parametrize(
    "href",
    [
        "https://www.facebook.com/sharer/sharer.php?u=x",
        "https://www.facebook.com/dialog/share?app_id=1",
        "https://twitter.com/intent/tweet?text=x",
        "https://TWITTER.com/share?url=x",
        "https://x.com/intent/post?url=x",
        "https://www.linkedin.com/shareArticle?mini=true",
        "https://www.linkedin.com/sharing/share-offsite/?url=x",
        "https://pinterest.com/pin/create/button/?url=x",
        "https://www.reddit.com/submit?url=x",
        "https://wa.me/?text=x",
        "whatsapp://send?text=x",
        "https://api.whatsapp.com/send?text=x",
        "https://t.me/share/url?url=x",
        "mailto:?subject=x",
        "sms:?body=x",
        "https://share.flipboard.com/bookmarklet/popout?v=2",
    ],
)
def test_share_gate_lets_every_share_intent_through(href: str) -> None:
    # the cheap word gate in front of SHARE_HREF must never hide a form the pattern knows
    assert SHARE_HREF.search(href) is not None
    assert _share_href(href)


@pytest.mark.parametrize(
    "href",
    ["/news/share-prices-fall", "https://example.com/2022/09/10/intent-to-sell", "https://www.facebook.com/gazette"],
)
def test_ordinary_links_are_not_share_intents(href: str) -> None:
    assert not _share_href(href)


@pytest.mark.parametrize(
    "text",
    [
        "Gib deine E-Mail-Adresse ein, um diesem Blog zu folgen und Benachrichtigungen über neue Beiträge zu erhalten.",
        "Abonnieren Sie unseren Newsletter und verpassen Sie keine Ausgabe mehr.",
        "Inscrivez-vous à notre newsletter pour recevoir nos articles chaque semaine.",
        "Suscríbete a nuestro boletín y recibe las noticias más importantes del día.",
        "Enter your email address to follow this blog and receive notifications of new posts.",
    ],
)
def test_newsletter_prompts_in_several_languages(text: str) -> None:
    assert _newsletter(text)


def test_prose_about_email_is_not_a_newsletter_prompt() -> None:
    assert not _newsletter("Der Stadtrat verschickte am Dienstag eine E-Mail an alle Anwohner der Brückenstraße.")


@pytest.mark.parametrize(
    "text",
    [
        "Follow The Gleaner on Twitter and Instagram @JamaicaGleaner and on Facebook @GleanerJamaica.",
        "For the latest stories and breaking news updates download the Nationnews apps for iOS and Android.",
        "Get the latest news straight to your phone with the Consortium app.",
        "Folgen Sie uns auf Twitter Liken Sie uns auf Facebook",
        "Síguenos en Telegram, Instagram, Facebook y Twitter",
        "Suivez-nous sur Facebook et Instagram pour ne rien manquer.",
    ],
)
def test_calls_to_follow_the_site_or_get_its_app(text: str) -> None:
    assert FOLLOW_TEXT.match(text)
    assert _reader_prompt(text)  # and the gate in front of the combined pattern lets it through


@pytest.mark.parametrize(
    "text",
    [
        "The mayor said fans could follow the game on YouTube while the stadium is closed.",
        "Users can download the app from the store, but the council says the old website will stay online.",
        "Die Polizei bittet Zeugen, die dem Wagen gefolgt sind, sich zu melden.",
    ],
)
def test_prose_about_apps_and_following_is_no_call_to_follow(text: str) -> None:
    assert not FOLLOW_TEXT.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "Figure 2: Changing the font size of all text elements.",
        "Abbildung 4: klassische Schwachschicht im Schneeprofil.",
        "Abb. 1: Holländerstämme waren ein Exportschlager.",
        "Titelbild: Geyres Christophe/ABACA/picture-alliance",
        "Beitragsbild: Titelseite der Zeitung vom 2.4.2019, Ausriss.",
    ],
)
def test_figure_captions_printed_as_paragraphs(text: str) -> None:
    assert _figure(text)


@pytest.mark.parametrize(
    "text",
    [
        "Figure skating returns to the Olympic programme next winter, the federation said.",
        "Bildung ist der Schlüssel: Die Ministerin stellte am Dienstag ihren Plan vor.",
        "Figure 2 shows how the river level rose during the night.",
    ],
)
def test_prose_starting_like_a_caption_is_no_caption(text: str) -> None:
    assert not _figure(text)


@pytest.mark.parametrize(
    "text",
    [
        "In this Dec. 12, 2006, file photo, made available by the agency, two astronauts work outside the station.",
        "In this Oct. 5, 2019 photo, a volunteer fills sandbags on the river bank.",
        "In this 2018 file photo, the old bridge is seen from the east bank.",
        "In this undated photo provided by the family, the girl holds her dog.",
        "In this photo taken on Monday, firefighters spray water on the burning warehouse.",
        "FILE - The old river bridge at dusk.",
    ],
)
def test_wire_photo_captions_with_a_date(text: str) -> None:
    assert FILE_PHOTO_PREFIX.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "In this case the photo was taken by a neighbour, the police said.",
        "In this year's budget the council set aside money for the bridge.",
        "In this Dec. 12 meeting the council voted on the bridge.",
    ],
)
def test_prose_starting_like_a_wire_caption_is_no_caption(text: str) -> None:
    assert not FILE_PHOTO_PREFIX.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "You must be logged in to post a comment.",
        "Du musst Eingeloggt sein um Kommentare zu schreiben! oder noch nicht registriert?",
        "Sie sind aktuell nicht eingeloggt.",
        "Vous devez être connecté pour publier un commentaire.",
    ],
)
def test_comment_login_prompts(text: str) -> None:
    assert LOGIN_TEXT.match(text)
    assert _reader_prompt(text)


@pytest.mark.parametrize(
    "text",
    [
        "This entry was posted in News and tagged bridge, council. Bookmark the permalink.",
        "Der Beitrag wurde am Mittwoch, den 27. November 2019 um 15:22 Uhr veröffentlicht.",
    ],
)
def test_posted_in_lines(text: str) -> None:
    assert POSTED_IN_TEXT.match(text)
    assert _reader_prompt(text)


def test_prose_about_posting_and_logging_in_is_neither() -> None:
    text = "The council said residents must be logged in to the new portal before they can post a complaint."
    assert not LOGIN_TEXT.match(text)
    assert not POSTED_IN_TEXT.match("The letter was posted to every household in the town on Monday.")


@pytest.mark.parametrize(
    "text",
    [
        "If you enjoyed reading this post – would you consider supporting our work with a donation?",
        "Wenn Ihnen dieser Artikel gefallen hat, können Sie mich durch eine Spende unterstützen.",
        "Hat dir dieser Artikel gefallen?",
        "Gefällt dir unser Klettermagazin? Bei der Steady-Mitgliedschaft bekommst du mehr.",
        "Jede kleine Spende hilft den notleidenden Menschen dieser Region.",
        "Apoya el periodismo incómodo",
    ],
)
def test_appeals_to_the_reader(text: str) -> None:
    assert APPEAL_TEXT.match(text)
    assert _reader_prompt(text)


def test_prose_about_support_is_no_appeal() -> None:
    assert not APPEAL_TEXT.match("The council will support the shop owners with a small fund during the works.")
    assert not APPEAL_TEXT.match("Die Spende hilft dem Verein, das Dach der Kirche zu reparieren.")


@pytest.mark.parametrize(
    "text",
    [
        "To view the full story, please subscribe to The Daily Example.",
        "To continue reading this article, log in or subscribe.",
        "Subscribe now to our e-paper edition for the full story.",
        "Subscribe today to read the full article.",
        "If you’re seeing this message but you’re already a subscriber, you can log in for immediate access.",
        "Already a subscriber? Log in here.",
        "Bereits Abonnent? Hier anmelden",
        "Sie haben bereits ein Abo? Dann melden Sie sich an.",
        "Jetzt weiterlesen mit Z+",
        "Déjà abonné ? Connectez-vous",
        "Pour accéder en illimité aux articles du journal :",
        "Pour lire la suite de cet article, abonnez-vous.",
        "¿Ya eres suscriptor? Inicia sesión",
        "Para seguir leyendo esta nota, suscríbete.",
    ],
)
def test_paywall_prompts(text: str) -> None:
    assert PAYWALL_TEXT.match(text)
    assert _reader_prompt(text)


@pytest.mark.parametrize(
    "text",
    [
        "To view the damage, the mayor flew over the valley on Tuesday.",
        "Subscribers to the water scheme will pay more from January.",
        "She was already a member of the council when the plan was drawn up.",
        "Die Abonnenten der Zeitung erhielten die Ausgabe einen Tag später.",
        "Pour accéder au chantier, les ouvriers doivent passer par le pont.",
        "Para seguir el juicio, la prensa instaló pantallas frente al tribunal.",
    ],
)
def test_prose_about_subscribers_is_no_paywall_prompt(text: str) -> None:
    assert not PAYWALL_TEXT.match(text)
    assert not _reader_prompt(text)


@pytest.mark.parametrize(
    "text",
    [
        "This post contains affiliate links. We may earn a small commission at no cost to you.",
        "This post contains references to products from one or more of our advertisers.",
        "We may receive compensation when you click on links to those products.",
        "Letzte Aktualisierung am 2.02.2022 / Bei den Verlinkungen handelt es sich um Affiliate Links",
        "Bei diesen Links handelt es sich um Affiliate-Links.",
        "*Werbung. Dieser Beitrag enthält Werbung für eine Marke.",
        "Dieser Artikel enthält Affiliate-Links.",
        "Cet article contient des liens affiliés.",
        "Este artículo contiene enlaces de afiliados.",
    ],
)
def test_advertising_disclosures(text: str) -> None:
    assert DISCLOSURE_TEXT.match(text)
    assert _reader_prompt(text)


@pytest.mark.parametrize(
    "text",
    [
        "This post contains the council's full answer to the residents' letter.",
        "We may receive more rain on Sunday, the forecasters said.",
        "Bei den Wahlen handelt es sich um die ersten seit 2019.",
        "Dieser Artikel enthält Auszüge aus dem Bericht der Kommission.",
        "Werbung für Zigaretten ist in Deutschland weitgehend verboten.",
    ],
)
def test_prose_is_no_advertising_disclosure(text: str) -> None:
    assert not DISCLOSURE_TEXT.match(text)
    assert not _reader_prompt(text)


@pytest.mark.parametrize(
    "key",
    [
        "section.o-section o-section--has-ads js-section--has-ads # @ ~",
        "div.layout has-sidebar # @ ~",
        "body.page no-sidebars # @ ~",
        "div.article-wrap with-comments # @ ~",
    ],
)
def test_state_flags_of_a_container_are_no_hint(key: str) -> None:
    # what an element holds or lacks ("has-ads", "no-sidebars") is no kind of content it is
    assert markup_hint(key) is None


def test_state_flags_leave_the_words_before_them() -> None:
    assert hint("div.share-bar has-icons # @ ~") is Label.SHARE
    assert hint("div.related-posts--has-images # @ ~") is Label.RELATED


@pytest.mark.parametrize(
    "key", ["div.live-match-comment slider-ele left # @ ~", "div.live-comment # @ ~", "li.liveComment # @ ~"]
)
def test_a_live_tickers_commentary_is_no_comment_section(key: str) -> None:
    # "live-comment": the entries of a live report, the page's own running text
    assert markup_hint(key) is None


def test_comments_without_live_stay_comments() -> None:
    assert hint("div.comment-body # @ ~") is Label.COMMENTS
    assert hint("section.comments live-region # @ ~") is Label.COMMENTS


@pytest.mark.parametrize(
    "key",
    ["div.moove-gdpr-tab-main-content # @ ~", "div.cookie-consent-main-content # @ ~", "div.gdpr-article-body # @ ~"],
)
def test_body_words_after_a_dialogs_word_name_the_dialogs_content(key: str) -> None:
    # one class name is one component: "gdpr-…-main-content" is the consent dialog's main content
    assert markup_hint(key) == (Label.OTHER, 2.0)


def test_body_words_before_or_without_a_dialog_word_stay_body() -> None:
    assert hint("div.main-content-dialog # @ ~") is Label.BODY
    assert hint("div.related-article-body # @ ~") is Label.BODY


def test_a_weaker_later_class_name_does_not_override_a_firmer_one() -> None:
    # a utility class ("u-visually-hidden", weak) after the component's name ("comments-article")
    assert hint("section.comments-article rs_skip u-visually-hidden # @ ~") is Label.COMMENTS
    assert hint("div.related-box sidebar # @ ~") is Label.RELATED
    assert hint("div.widget share-bar # @ ~") is Label.SHARE  # as firm or firmer: the later name still wins


def test_not_is_a_state_word() -> None:
    assert markup_hint("article.node node-not-promoted node-not-sticky # @ ~") is None
