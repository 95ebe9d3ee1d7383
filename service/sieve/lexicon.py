"""Domain knowledge about how news pages are built, grouped by concept.

Everything here is general (it holds across sites and CMSs); nothing names a site. Three kinds of
knowledge live here:

* ``MARKUP_HINTS``: which class/id/role/itemprop tokens announce which kind of block;
* ``HEADING_PHRASES``: the headings that announce a boilerplate list ("Most Popular", "Just In"...),
  in several languages;
* text patterns: bylines, photo credits, datelines and tag lists.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from sieve.contracts import Label
from sieve.phrases import APPEAL_TEXT as APPEAL_TEXT
from sieve.phrases import FOLLOW_TEXT as FOLLOW_TEXT
from sieve.phrases import LOGIN_TEXT as LOGIN_TEXT
from sieve.phrases import POSTED_IN_TEXT as POSTED_IN_TEXT
from sieve.phrases import READER_PROMPT as READER_PROMPT

# --- structure ------------------------------------------------------------------------------------

#: Elements whose text is never page content (their subtrees are skipped).
SKIP_TAGS: Final = frozenset(
    "script style noscript template svg math iframe object embed canvas head title meta link "
    "button select option textarea input audio video picture source track map area dialog".split()
)
#: Elements that start a new block of text (everything else is inline and joins its block).
BLOCK_TAGS: Final = frozenset(
    "p div section article aside header footer nav main ul ol li dl dt dd table thead tbody tfoot "
    "tr td th caption blockquote pre figure figcaption form fieldset legend h1 h2 h3 h4 h5 h6 hr "
    "address details summary center menu hgroup body html".split()
)
HEADING_TAGS: Final = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
#: Landmarks that say "the article is in here".
CONTENT_TAGS: Final = frozenset({"article", "main"})

# --- markup hints: class / id / role / itemprop tokens ---------------------------------------------
# Each row: (label, weight, the tokens that announce it). A token may join words with "-"; it then also
# matches written together ("most-popular" matches "mostpopular") and in camelCase ("mostPopular").
# A plural "s" and trailing digits are ignored ("ads-2" is "ad"). Weight says how sure the hint is.
#: The weight of a firm markup hint (dialogs: cookie and consent pop-ups): never overruled by the prose
#: it holds, and outranking weaker names nearer a block or later on the same element.
FIRM: Final = 2.0
# fmt: off
MARKUP_HINTS: Final[tuple[tuple[Label, float, str], ...]] = (
    (Label.NAV, 1.5, "nav navbar navigation menu menubar breadcrumb skip-link masthead site-header topbar mega-menu pagination pager"),
    (Label.FOOTER, 1.5, "footer site-footer colophon copyright contentinfo"),
    (Label.SHARE, 1.5, "share sharing social share-bar sharetools social-link addthis sharethis print-email"),
    (Label.COMMENTS, 1.5, "comment disqus respond discussion replies reply-form"),
    (Label.NEWSLETTER, 1.5, "newsletter signup sign-up subscribe subscription paywall regwall inline-cta cta piano meter"),
    (Label.SPONSORED, 1.5, "sponsored sponsor promoted outbrain taboola partner-content native-ad paid-content branded"),
    (Label.AD, 1.5, "ad advert advertisement advertising adslot ad-slot ad-unit adunit ad-container ad-wrapper dfp gpt banner-ad leaderboard billboard mpu dfp-ad"),
    (Label.MOST_POPULAR, 1.5, "most-popular popular most-read mostread most-viewed most-shared most-emailed"),
    (Label.TRENDING, 1.5, "trending trend hot-topic"),
    (Label.JUST_IN, 1.5, "just-in latest-news breaking-news news-ticker ticker latest"),
    (Label.TOP_STORIES, 1.2, "top-stories top-story top-news headlines"),
    (Label.RELATED, 1.5, "related recommended recommendation more-stories more-news read-more also-read read-next up-next see-also more-from more-on further-reading recirc recirculation promo teaser card-list cards-list"),
    (Label.VIDEO, 1.2, "video video-player video-rail media-player jwplayer playlist podcast"),
    (Label.TAGS, 1.2, "tags tag-list tagged topics topic-list keywords filed-under categories"),
    (Label.CAPTION, 1.5, "caption figcaption photo-credit image-credit credit wp-caption-text"),
    (Label.BYLINE, 1.2, "byline author author-name contributor writer by-author"),
    (Label.DATELINE, 1.0, "date dateline timestamp publish-date published pubdate updated time-stamp"),
    (Label.OTHER, 2.0, "dialog alertdialog cookie-law cookie-banner cookie-consent cookie-notice cookie-bar consent-banner consent-manager gdpr onetrust cmp-container"),
    (Label.OTHER, 1.0, "sidebar side-bar right-rail rail widget modal popup overlay cookie consent toolbar visually-hidden sr-only screen-reader pull-quote pullquote complementary"),
    # the author's biography box at the end of an article
    (Label.OTHER, 1.5, "author-box author-bio about-author author-info author-profile author-description author-card"),
)
#: Tokens that say "the article body is here" (they cancel region hints above them): a content word
#: after an article word, with at most one word between ("article-inner-content"), or one of these.
BODY_FIRST: Final = frozenset("article story post entry news blog main page".split())
BODY_LAST: Final = frozenset("body content text copy".split())
BODY_TOKENS: Final = (
    "articlebody storytext bodytext body-copy rich-text field-body text-body content-body "
    # embedded posts quoted in the story
    "twitter-tweet instagram-media tiktok-embed fb-post bluesky-embed"
)
BODY_ITEMPROPS: Final = frozenset({"articlebody", "text"})
#: What an element's tag says when no class/id/role/itemprop token speaks (and what a token overrides).
TAG_HINTS: Final[dict[str, tuple[Label, float]]] = {
    "nav": (Label.NAV, 1.5),
    "footer": (Label.FOOTER, 1.2),
    "aside": (Label.OTHER, 1.2),
    "figure": (Label.CAPTION, 1.0),
    "figcaption": (Label.CAPTION, 1.5),
    "form": (Label.OTHER, 0.5),
}
# fmt: on


def _vocabulary() -> dict[tuple[str, ...], tuple[Label, float]]:
    vocab: dict[tuple[str, ...], tuple[Label, float]] = {}
    rows = [*MARKUP_HINTS, (Label.BODY, 2.0, BODY_TOKENS)]
    rows += [(Label.BODY, 2.0, f"{a}-{b}") for a in BODY_FIRST for b in BODY_LAST]
    for label, weight, words in rows:
        for word in words.split():
            parts = tuple(word.split("-"))
            for key in (parts, ("".join(parts),)):
                vocab.setdefault(key, (label, weight))  # the first row to name a token keeps it
    return vocab


_VOCAB: Final = _vocabulary()
_LONGEST: Final = max(len(k) for k in _VOCAB)
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_TOKEN: Final = re.compile(r"[a-z]+")


def _lookup(tokens: list[str], i: int) -> tuple[tuple[Label, float], int] | None:
    """The longest vocabulary entry starting at token ``i`` (plural "s" ignored on the last word)."""
    for n in range(min(_LONGEST, len(tokens) - i), 0, -1):
        key = tuple(tokens[i : i + n])
        hit = _VOCAB.get(key)
        if hit is None and key[-1].endswith("s") and len(key[-1]) > 2:
            hit = _VOCAB.get((*key[:-1], key[-1][:-1]))
        if hit is not None:
            return hit, i + n
    return None


@lru_cache(maxsize=65536)
def markup_hint(key: str) -> tuple[Label, float] | None:
    """The label a ``tag.class #id @role ~itemprop`` key announces, with its weight; None if nothing.

    Tokens are words of the class, id, role and itemprop (camelCase split; digits dropped). Body
    tokens win; otherwise the rightmost match wins: "article-footer__share" is a share bar, not a footer.
    Across class names a later, weaker one does not: "comments-article u-visually-hidden" is the comments.
    """
    tag, _, rest = key.partition(".")
    rest, _, itemprop = rest.partition(" ~")
    if itemprop.strip().lower() in BODY_ITEMPROPS:
        return (Label.BODY, 2.0)
    best = TAG_HINTS.get(tag)  # any class token speaks over the tag
    names = rest + " " + itemprop
    if names.lower() != names:  # camelCase can only split where there is a capital letter
        names = _CAMEL.sub("-", names)
    named = None
    for name in names.split():  # one class name at a time
        hit = _name_hint(name.lower())
        if hit is not None:
            if hit[0] is Label.BODY:
                return hit
            if named is None or hit[1] >= named[1]:
                named = hit  # later names are more specific, unless weaker ("comments u-visually-hidden")
    return named or best


#: Class names a CMS prints as a state flag of the article itself, not a kind of content: Drupal marks
#: every node promoted to the front page ``node-promoted`` / ``node--promoted`` (no advertising).
FLAG_NAMES: Final = frozenset({("node", "promoted")})
#: Page builders (WordPress's Elementor, Divi, WPBakery, Beaver Builder) wrap every block of a page,
#: the article's text too, in their own layout classes (``elementor-widget-container``,
#: ``et_pb_module``, ``vc_column``, ``fl-row``): after their namespace, these structure words say
#: nothing of the content (``elementor-widget-sidebar`` still says "sidebar").
BUILDER_NAMESPACES: Final = frozenset({"elementor", "et", "vc", "wpb", "fl"})
_BUILDER_WORDS: Final = frozenset(
    {"widget", "module", "column", "row", "section", "element", "container", "wrap", "wrapper"}
)
#: A class name that says what an element holds or lacks is a state flag of a container, not a kind
#: of content: ``o-section--has-ads``, ``has-sidebar``, ``with-comments``, ``no-sidebars`` (a layout
#: state set on the page or section wrapping the article). The words after one of these say nothing
#: of the element itself.
STATE_WORDS: Final = frozenset({"has", "with", "without", "no", "not"})
#: A live ticker's entries are the page's running commentary, not readers' comments: a "comment" after
#: "live" (``live-comment``, ``live-match-comment``, ``liveComment``) is the text of a live report.
_LIVE_COMMENT: Final = frozenset({"comment", "comments"})


@lru_cache(maxsize=65536)
def _name_hint(name: str) -> tuple[Label, float] | None:
    """The hint of one class name (class names repeat across a site far more than whole keys)."""
    tokens = _TOKEN.findall(name)
    if len(tokens) == 2 and (tokens[0], tokens[1]) in FLAG_NAMES:
        return None
    if tokens and tokens[0] in BUILDER_NAMESPACES:
        tokens = [t for t in tokens[1:] if t not in _BUILDER_WORDS]
    for k, token in enumerate(tokens):
        if token in STATE_WORDS:
            del tokens[k:]  # "has-ads", "no-sidebars": what the element holds, not what it is
            break
    if "live" in tokens:
        at = tokens.index("live")
        tokens = tokens[:at] + [t for t in tokens[at:] if t not in _LIVE_COMMENT]
    best = None
    i = 0
    while i < len(tokens):
        if tokens[i] in BODY_FIRST and any(t in BODY_LAST for t in tokens[i + 1 : i + 3]):
            return best if _firm(best) else (Label.BODY, 2.0)
        found = _lookup(tokens, i)
        if found is None:
            i += 1
            continue
        hit, i = found
        if hit[0] is Label.BODY:
            return best if _firm(best) else hit
        best = hit
    return best


def _firm(hit: tuple[Label, float] | None) -> bool:
    """A dialog's own word (cookie consent, GDPR) opening a class name: the body words after it
    (``moove-gdpr-tab-main-content``) name the dialog's content, not the page's."""
    return hit is not None and hit[1] >= FIRM


# --- block headings that announce boilerplate lists ------------------------------------------------

# fmt: off
HEADING_PHRASES: Final[tuple[tuple[Label, re.Pattern[str]], ...]] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        (Label.TRENDING, r"^(?:trending(?: now| stories| topics)?|hot topics|tendencias|lo último en tendencia|im trend|tendances)$"),
        (Label.MOST_POPULAR, r"^(?:most (?:popular|read|viewed|shared|emailed|commented)|mais (?:lidas|vistas|populares)|popular(?: now| stories| on .{1,30})?|lo más (?:leído|visto|popular)|más leídas?|meistgelesen|am meisten gelesen|les plus lus|i più letti|mais lidas)$"),
        (Label.JUST_IN, r"^(?:just in|latest(?: news| stories| headlines)?|breaking(?: news)?|news ticker|live updates|\d+ new (?:updates?|posts?|stories)|últimas noticias|lo último|neueste|aktuell|à la une|dernières infos)\W*$"),
        (Label.TOP_STORIES, r"^(?:top (?:stories|news|headlines)|headlines|editor'?s picks|featured(?: stories)?|principales noticias|destacados?|top-?themen|à lire aussi)$"),
        (Label.SEE_ALL, r"^(?:more (?:[\w'’&-]+ ){0,3}(?:news|stories|articles|coverage|headlines)|see all(?: .{1,30})?|view all(?: .{1,30})?|load more|show more|more from .{1,40}|more(?: [\w'’&.-]+){1,3}|see more(?: .{1,30})?|más noticias(?: de .{1,30})?|mehr nachrichten|plus d'actualités"
            r"|alle (?:nachrichten|artikel|beiträge|meldungen) (?:zu|zum|zur|aus) .{1,40})$"),
        (Label.RELATED, r"^(?:related(?: articles| stories| content| coverage| news| links| topics)?|recommended(?: for you| stories| reading)?|you (?:may|might) (?:also )?(?:like|be interested in|have missed)|read (?:more|next|also)|also read|more on (?:this|that) (?:story|topic)|further reading|what to read next|don'?t miss|te puede interesar|você (?:pode|também pode) gostar|veja também|leia (?:também|mais)|también te puede interesar|noticias relacionadas|relacionad[oa]s|das könnte sie auch interessieren|mehr zum thema|lire aussi|à lire également|leggi anche"
            r"|ähnliche (?:beiträge|artikel|themen|nachrichten|posts|einträge)|verwandte (?:artikel|beiträge|themen(?:bereiche)?)"
            r"|(?:das(?: thema)?|dies) (?:könnte|dürfte) (?:sie|dich) (?:auch )?interessieren|auch interessant|ebenfalls interessant"
            r"|(?:lesen sie|lies) (?:auch|mehr)(?: die folgenden (?:beiträge|artikel))?|schon gelesen\??|empfohlene (?:beiträge|artikel)"
            r"|weitere (?:beiträge|artikel|themen|nachrichten|meldungen|informationen|infos|links)(?: .{1,50})?"
            r"|(?:aktuelle|weitere|neueste) (?:berichte|artikel|beiträge|nachrichten) aus (?:dieser|der) (?:kategorie|rubrik)"
            r"|weiterführende (?:informationen|links|artikel|inhalte)|mehr (?:zum thema|zu diesem thema|themen|infos|artikel)(?: .{1,30})?"
            r"|mehr zu .{1,30}|weiterlesen|zum weiterlesen|noch mehr (?:infos|artikel|themen)(?: .{1,20})?"
            r"|(?:artículos|noticias|contenidos?|temas|notas|historias|notícias|artigos|matérias|conteúdos?) relacionad[oa]s?"
            r"|otras noticias|lea también|lee también|te recomendamos|quizás te interese|saiba mais|recomendad[oa]s"
            r"|(?:también )?le puede interesar|mira también|le(?:e|a) además|auch lesen"
            r"|articles (?:similaires|liés|connexes|associés|recommandés)|sur le même sujet|vous (?:aimerez|pourriez aimer) (?:aussi|également)"
            r"|voir aussi|dans la même rubrique|à découvrir (?:aussi|également)|articoli correlati|notizie correlate"
            r"|(?:ti )?potrebbe(?:ro)? (?:anche )?interessarti|ti potrebbe (?:anche )?interessare"
            r"|gerelateerde (?:artikelen|berichten)|lees ook|ook interessant|läs också|relaterade artiklar|læs også|les også|relaterte artikler"
            r"|(?:czytaj|zobacz|przeczytaj) (?:też|także|również)|powiązane artykuły|polecane|související články|čtěte také"
            r"|читайте также|похожие (?:статьи|новости|материалы)|по теме|ilgili (?:haberler|yazılar))\W*$"),
        (Label.VIDEO, r"^(?:videos?(?:/.{1,30})?|watch(?: more| now| next)?|latest videos?|more videos?|video highlights|vídeos?)$"),
        (Label.SPONSORED, r"^(?:sponsored(?: content| stories| links)?|promoted(?: stories| content)?|partner content|from our partners|paid content|around the web|contenido patrocinado|anzeige|sponsorisé)$"),
        (Label.NEWSLETTER, r"^(?:(?:sign up|subscribe)(?: (?:for|to) .{1,60})?|(?:get )?our newsletters?|newsletters?|suscríbete.{0,60}|newsletter abonnieren|abonnez-vous.{0,60}"
            r"|newsletter (?:bestellen|anmeldung)|jetzt (?:newsletter )?abonnieren|inscrivez-vous(?: à (?:la|notre) newsletter)?"
            r"|iscriviti(?: alla newsletter)?|inscreva-se.{0,40}|zapisz się.{0,40})$"),
        (Label.SHARE, r"^(?:share(?: this(?: article| story| post| page)?| on .{1,20})?|compartir(?: en .{1,20}| esta noticia| este artículo)?|teilen"
            r"|partager(?: cet article| sur .{1,20})?|(?:diesen |den )?(?:artikel|beitrag|seite) teilen|möchten sie (?:den|diesen) (?:artikel|beitrag) teilen"
            r"|jetzt teilen|teile (?:diesen|den) (?:artikel|beitrag)|condividi(?: questo articolo| su .{1,20})?|compartilh(?:e|ar)(?: .{1,20})?"
            r"|delen|deel dit artikel|udostępnij|поделиться)\W*$"),
        (Label.COMMENTS, r"^(?:comments?|\d+ comments?|join the (?:conversation|discussion)|comentarios|kommentare|commentaires"
            r"|kommentar(?:e|ieren)|(?:schreibe|hinterlasse|verfasse) einen kommentar|kommentar (?:schreiben|verfassen|abgeben)"
            r"|leave a (?:reply|comment)|add a comment|post a comment|laisser un commentaire|(?:deja|escribe) (?:un|tu) comentario|commenti"
            r"|lascia un commento|reacties?|komentarze?|комментарии|yorumlar"
            r"|(?:noch )?keine kommentare|no comments(?: yet)?|sin comentarios|aucun commentaire|nessun commento|brak komentarzy)(?:\s*\(\s*[+\d]*\s*\))?$"),
        (Label.TAGS, r"^(?:tags?|topics?|filed under|keywords|related topics|etiquetas|temas|schlagwörter|mots-clés"
            r"|schlagworte|stichwörter|stichworte|themen(?: (?:im|in diesem|des) (?:artikel|beitrags?))?|tagged(?: with| in)?"
            r"|étiquettes|etichette|argomenti|palabras clave|tagi|теги|метки)\W*$"),
        # a press release's contact section (whom journalists call, not the release); the author's
        # biography after an article ("About the author": who wrote it, not what)
        (Label.FOOTER, r"^(?:(?:presse|medien)?kontakte?|ansprechpartner(?:in|innen)?(?: für die presse| zum thema)?|press contacts?|media contacts?|"
            r"media enquiries|press enquiries|contact (?:presse|médias)|contacto(?: de prensa| para medios)|kontakt dla mediów"
            r"|about the (?:authors?|writer)|über (?:den autor|die autorin|die autoren)|zu(?:m autor|r autorin)|à propos de l'auteure?"
            r"|(?:sobre|acerca de)l? (?:el |la )?autora?|sull'autore|o autorze|o autorce|sobre o autor)\W*$"),
        (Label.NAV, r"^(?:key (?:events|moments|updates|points in this story)|(?:next|previous) (?:article|post|story)|"
            r"(?:vorschau auf den )?(?:nächsten?|vorherigen?) (?:artikel|beitrag)|article (?:suivant|précédent)|artículo (?:siguiente|anterior)|in this (?:article|story)|(?:table of )?contents|jump to(?: .{1,30})?|on this page|índice|inhalt|sommaire"
            r"|inhaltsverzeichnis|table des matières|índice de contenidos?|indice|sommario|spis treści|содержание)$"),
    )
)
# fmt: on


# Matched against the lower-cased text without IGNORECASE: each alternative then starts with a plain
# literal that the regex engine tests before trying the branch (about twice as fast on this many).
_HEADING: Final = re.compile("|".join(f"(?P<{label.value}>{pattern.pattern})" for label, pattern in HEADING_PHRASES))
_STRIP_HEADING: Final = " :·|»›>-–—…\u00a0"


@lru_cache(maxsize=16384)  # short lines ("Share", "Most Popular", menu items) repeat across pages
def heading_label(text: str) -> Label | None:
    """The boilerplate label a short block heading announces ("Most Popular" -> most_popular)."""
    if len(text) > 60:
        return None
    match = _HEADING.match(text.strip(_STRIP_HEADING).rstrip(".").lower())
    return Label(match.lastgroup) if match and match.lastgroup else None


# --- text patterns --------------------------------------------------------------------------------

BYLINE_TEXT: Final = re.compile(r"^(?:by|written by|story by|words by|reporting by|von|por|par|di)\s+\S", re.IGNORECASE)
#: Photo credits in captions: "(AP Photo/Name, File)", "Photo: Getty Images", "Credit: Reuters".
CREDIT_TEXT: Final = re.compile(
    r"(?:\((?:AP|AFP|Reuters|Getty|EPA|UPI|Xinhua|Bloomberg)[^()]{0,80}\)\s*$|"
    r"(?:photo|image|picture|foto|credit|source|photograph)s?(?:\s+(?:by|credit))?\s*[:/]\s*[^.]{2,80}$|"
    r"\b(?:Getty Images|Shutterstock|AP Photo|Associated Press|Reuters|AFP|EPA-EFE|iStock(?:photo)?|Fotolia|"
    r"Adobe ?Stock|Pixabay|Unsplash|pixelio|picture[- ]alliance|imago(?: images)?)(?:\.(?:com|de))?\s*\)?\s*$|"
    r"\([^()]{0,60}\b(?:photo|file photo|photograph|image|courtesy|foto|imagen)\b[^()]{0,40}\)\s*$)",
    re.IGNORECASE,
)
#: A figure's caption printed as a paragraph: "Figure 4: ...", "Abbildung: ...", "Titelbild: ...".
FIGURE_PREFIX: Final = re.compile(
    r"^(?:figure|fig\.|abbildung|abb\.|grafik|illustration|bild|titelbild|beitragsbild|headerbild|symbolbild|"
    r"figura|ilustración|imagen|illustrazione|immagine|rycina|ilustracja|zdjęcie)(?:\s+\d{1,3}[a-z]?)?\s*:\s*\S",
    re.IGNORECASE,
)
#: A caption's credit after a copyright sign at its end: "Shiffrin in Beijing. © AFP / Jeff Pachoud",
#: "| © Augusta National/Getty Images" (a name or agency, no sentence: a copyright notice ends in a full stop).
COPYRIGHT_CREDIT: Final = re.compile(r"©\s*(?:\d{4}\s*)?[^\W\d][^.!?©]{1,60}$")
FILE_PHOTO_PREFIX: Final = re.compile(
    r"^(?:FILE\s*[-–—:]|In this (?:\w{3,9}\.? \d{1,2},? \d{4},? |\d{4},? |undated )?(?:file )?photo|This (?:undated )?(?:photo|image))",
    re.IGNORECASE,
)
#: "Updated 3:04 PM", "Published Sep. 10, 2022", "09/10/22 12:09 PM ET" alone on a line.
DATE_TEXT: Final = re.compile(
    r"^(?:(?:published|updated|posted|last updated|modified|actualizado|publicado|aktualisiert|veröffentlicht|mis à jour|publié)"
    r"(?: on| at)?:?\s*)?"
    r"(?:\w+day,?\s*)?(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{1,2}\.?\s+\w+\.?\s+\d{4}(?!\d)|\w+\.?\s+\d{1,2},?\s+\d{4}(?!\d)|\d{1,2}:\d{2})"
    r"[\w\s,.:/|+-]{0,40}$",
    re.IGNORECASE,
)
#: Lines that are a label, not content ("Advertisement" where an ad was).
AD_TEXT: Final = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored|publicidad|anuncio|anzeige|werbung|publicité|pubblicità|publicidade|реклама|"
    r"iklan|reklame|reklama|annonse|mainos|광고|広告|广告|story continues below(?: advertisement)?|continue reading below)\W*$",
    re.IGNORECASE,
)
#: Link texts of a site footer: legal pages, contact, jobs, advertising (several languages).
FOOTER_LINK: Final = re.compile(
    r"^(?:privacy(?: policy| notice)?|terms(?: of (?:use|service))?|cookie(?:s| policy| settings| preferences)?|"
    r"contact(?: us)?|about(?: us)?|careers|jobs|advertise(?: with us)?|sitemap|site map|accessibility|"
    r"do not sell.{0,40}|impressum|datenschutz.{0,20}|agb|kontakt|karriere|cookie-einstellungen|"
    r"aviso legal|política de privacidad|contacto|mentions légales|confidentialité|nous contacter)$",
    re.IGNORECASE,
)
#: Links that are share buttons, whatever their text. (signals._share_href tests for a word of each
#: form before searching: a new form needs its word there too; tests/test_lexicon.py checks.)
SHARE_HREF: Final = re.compile(
    r"(?:facebook\.com/(?:sharer|dialog/share)|twitter\.com/(?:intent|share)|x\.com/intent|linkedin\.com/(?:share|sharing)|"
    r"pinterest\.com/pin/create|reddit\.com/submit|wa\.me/|whatsapp://|api\.whatsapp\.com/send|t\.me/share|"
    r"^mailto:\?|^sms:|flipboard\.com/bookmarklet)",
    re.IGNORECASE,
)
#: Credit lines of the reporting ("Reporting by X; editing by Y", "Z contributed to this report").
CONTRIBUTOR_TEXT: Final = re.compile(
    r"^\(?(?:additional reporting|reporting|writing|editing|compiled|with reporting|research) by\b|"
    r"\bcontributed (?:reporting|to this (?:report|story|article))\b",
    re.IGNORECASE,
)
#: Publication-time lines in several languages ("Published 10:48, Tue, Nov 19 2019", "기사입력 2018.08.25").
PUBLISHED_TEXT: Final = re.compile(
    r"^(?:first published|published|updated|posted|last updated|last modified|publicado|actualizado|atualizado|"
    r"aktualisiert|veröffentlicht|publiziert|erschienen|verfasst|stand(?=\s*:)|mis à jour|publié le|pubblicato|"
    r"기사입력|입력|수정|公開日|更新日|发布时间|更新时间)\b.{0,100}\d",
    re.IGNORECASE,
)
#: Reading-time badges ("4 min read", "Tempo de leitura: 2 minutos").
READING_TIME: Final = re.compile(
    r"^(?:\d+\s*(?:min(?:ute)?s?\.?|minutes?)\s+(?:read|de lectura|de leitura|lesezeit)|reading time|tempo de leitura|"
    r"tiempo de lectura|lesezeit|temps de lecture)\b",
    re.IGNORECASE,
)
#: Labels of page controls that leak into text ("Caption Close", "Print this article", "Loading content").
UI_TEXT: Final = re.compile(
    r"^(?:caption close|caption|close|more|expand|collapse|print|print this article|email this article|share it with friends|"
    r"loading(?: content)?(?:\.\.\.|…)?|back to top|scroll to continue|view comments|hide caption|toggle caption|"
    r"enlarge this image|zoom|fullscreen|\d+ of \d+|order reprints|print article|text size|reprints|explore further|"
    r"drucken|(?:artikel|seite|rezept|beitrag) drucken|imprimir|imprimer|stampa|drukuj|печать|bild (?:anzeigen|vergrößern)|"
    r"quellen (?:ausblenden|einblenden|anzeigen)|wie bewerten sie diesen (?:artikel|beitrag)|war (?:dieser|der) (?:artikel|beitrag) (?:hilfreich|nützlich)|"
    r"was this (?:article|page|post) helpful|\(?(?:noch )?keine bewertungen\)?|schließen|fermer|cerrar|chiudi|(?:mehr|weniger|alle) anzeigen|ver más|voir plus|"
    r"afficher plus|mostra (?:di più|altro)|(?:zurück )?nach oben|retour en haut|volver arriba|torna su)\W*$",
    re.IGNORECASE,
)
#: "Reach the reporter at ...", "Follow Newsbeat on Instagram", an e-mail address alone.
CONTACT_TEXT: Final = re.compile(
    r"^(?i:reach|contact|e-?mail|follow|write to) (?:the )?(?:(?i:reporters?|writers?|authors?|him|her|them|us)|[A-Z][\w.]+(?: [A-Z][\w.]+)?)\b"
    r".{0,80}(?:@|twitter|instagram|facebook|on \w+)|^[\w.+-]+@[\w-]+\.[\w.]+(?:\s|$)|(?i:\b(?:may|can) be reached at\b|^have a (?:news )?tip\b)",
)
NEWSLETTER_TEXT: Final = re.compile(
    r"\b(?:sign up for (?:our|the) (?:\w+ )?newsletters?|subscribe to [\w.’']+(?: \w+)? newsletters?|"
    r"get (?:our|the) (?:\w+ )?newsletter|right in your inbox|delivered to your inbox|"
    r"enter your e-?mail address to (?:follow|subscribe)|"
    # the same prompts in German, French, Spanish, Italian
    r"(?:abonnieren|bestellen) sie (?:unseren|den) (?:\w+ )?newsletter|melden sie sich (?:jetzt )?(?:für|zu) unserem newsletter an|"
    r"(?:jetzt )?(?:zum|für den) newsletter anmelden|gib deine e-?mail-adresse ein|geben sie ihre e-?mail-adresse ein|"
    r"(?:inscrivez|abonnez)-vous à (?:notre|la) newsletter|recevez (?:notre|la) newsletter|"
    r"suscríbete a (?:nuestro|nuestra|el|la) (?:newsletter|boletín)|recibe (?:nuestro|el) (?:newsletter|boletín)|"
    r"iscriviti alla (?:nostra )?newsletter)\b",
    re.IGNORECASE,
)
#: Captions and teasers shown truncated with a toggle: "... more", "[...] less".
TOGGLE_TEXT: Final = re.compile(r"(?:\.\.\.|…)\s*(?:more|read more)$|[.!?)]\s+less$")
BARE_URL: Final = re.compile(r"^(?:https?://|www\.|[\w-]+\.(?:com|org|net|co\.uk)/)\S+$", re.IGNORECASE)
#: Lines that end a body and are never part of it ("Read more: ...", "Copyright 2022 ...").
END_MATTER: Final = re.compile(
    r"^(?:copyright|©|\(c\) \d{4}|all rights reserved|this (?:material|article) may not be published|"
    r"read more:|related:|see also:|weiterlesen:|lesen sie (?:auch|mehr|hier|dazu):|siehe auch:|dowiedz się (?:więcej|też|także):|mehr (?:dazu|zum thema):|lire aussi ?:|leer más:|lea también:|"
    r"leia (?:também|mais):|puedes ver:|mira también:|le(?:e|a) (?:también|además):|(?:te|le) puede interesar:|auch lesen:|czytaj (?:też|także|więcej):|zobacz (?:też|także):|alle rechte vorbehalten|tous droits réservés|"
    r"todos los derechos reservados|tutti i diritti riservati|todos os direitos reservados|wszelkie prawa zastrzeżone|все права защищены|"
    r"click here|follow us on|sign up for|subscribe to|our standards:|"
    r"this copy is for your personal|we'?ve detected you are (?:on|using)|please (?:update|upgrade) (?:to )?(?:a modern|your) browser|"
    r"your browser is (?:out of date|not supported)|citation:|also on [\w.-]+\.\w+|like this (?:story|article)\?)",
    re.IGNORECASE,
)
