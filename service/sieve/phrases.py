"""Phrases pages address to their reader around the article, not part of it.

Calls to follow the site, the comment form's login prompt, a blog theme's "posted in" line, appeals for
support, paywall prompts and advertising disclosures, in several languages. Each pattern is anchored at
the start of a block: these are sentences a page prints as furniture, and they open the block they are
in. ``READER_PROMPT`` joins them so each block is tested once (sieve.signals gates it by the block's
first four characters).
"""

from __future__ import annotations

import re
from typing import Final

#: Calls to follow the publication elsewhere: its social accounts or its app ("Follow us on Instagram",
#: "Síguenos en Telegram", "download the Nation app for the latest news").
FOLLOW_TEXT: Final = re.compile(
    r"^(?:follow us on|follow (?-i:(?:the |The )?[A-Z][\w.]+(?: [A-Z][\w.]+)?) on (?:twitter|x|facebook|instagram|tiktok|youtube|linkedin|threads)\b|"
    r"síguenos en|siguenos en|folg(?:en sie|e) uns (?:auf|bei)|suivez-nous sur|seguici su|siga-nos n[oa]s?|obserwuj nas na|"
    r"download our (?:free )?(?:[\w-]+ ){0,2}apps?\b|"
    r"(?:for )?(?:the )?latest (?:news|stories|headlines)\b.{0,60}\b(?:download|get) (?:the|our) (?:[\w-]+ ){0,3}apps?\b|"
    r"get (?:the )?(?:latest|breaking) news (?:straight|directly) to your (?:phone|mobile)|"
    r"(?:lade|laden sie) (?:dir|sich) (?:jetzt )?unsere (?:[\w-]+ ){0,2}apps?\b|téléchargez notre application|descarga nuestra app)",
    re.IGNORECASE,
)
#: The comment form's login prompt ("You must be logged in to post a comment", "Du musst eingeloggt sein").
LOGIN_TEXT: Final = re.compile(
    r"^(?:you must be (?:logged|signed) in|(?:sie müssen|du musst) (?:sich |dich )?(?:eingeloggt|angemeldet|einloggen|anmelden)|"
    r"(?:sie sind|du bist) (?:aktuell |derzeit |zurzeit )?nicht (?:eingeloggt|angemeldet)|vous devez être (?:connecté|identifié)|"
    r"debes (?:iniciar sesión|estar (?:registrado|conectado))|devi (?:essere (?:registrato|connesso)|effettuare il login))",
    re.IGNORECASE,
)
#: A blog theme's line under the post ("This entry was posted in News on May 2 by Anna. Bookmark the permalink.").
POSTED_IN_TEXT: Final = re.compile(
    r"^(?:this (?:entry|post) was posted|(?:dieser|der) (?:eintrag|beitrag|artikel) wurde (?:am|von|in|unter) .{0,80}"
    r"(?:veröffentlicht|geschrieben|abgelegt|gepostet)|cette entrée a été publiée|esta entrada (?:fue publicada|se publicó))",
    re.IGNORECASE,
)
#: Appeals to the reader at the end of a post: support, donate, "did you like this article?".
APPEAL_TEXT: Final = re.compile(
    r"^(?:if you (?:enjoyed|liked|like|found value in) (?:reading )?this (?:post|article|story|blog)|did you (?:enjoy|like) this (?:post|article|story)|"
    r"(?:please )?(?:support|help) (?:our|independent|quality) journalism|become a (?:member|supporter|patron)\b|"
    r"(?:hat|gefällt) (?:ihnen|dir|euch) (?:dieser|unser|der|das) (?:artikel|beitrag|text|blog|magazin|\w+magazin)|"
    r"(?:dieser|der) (?:artikel|beitrag) gefällt (?:ihnen|dir)|wenn (?:ihnen|dir|euch) (?:dieser|unser|der) (?:artikel|beitrag|text) gefallen hat|"
    r"unterstütze?n? (?:sie )?(?:unsere|diese) (?:arbeit|form|redaktion|journalismus)|jede (?:kleine )?spende hilft|"
    r"(?:te|le) ha gustado (?:este|esta) (?:artículo|nota)|apoya (?:el|nuestro) periodismo|soutenez (?:notre|le) journalisme|"
    r"vous avez aimé cet article)",
    re.IGNORECASE,
)
#: A paywall's prompt where the article stops: "To view the full story, please subscribe", "Subscribe now …
#: for the full story", "Already a subscriber?", "Bereits Abonnent?", "Déjà abonné ?", "¿Ya eres suscriptor?".
PAYWALL_TEXT: Final = re.compile(
    r"^(?:to (?:view|read|continue reading|access) (?:(?:the|this) (?:full|entire|rest of the) (?:story|article)|this (?:story|article),)|"
    r"subscribe (?:now |today )?(?:to [\w.’' -]{1,40} )?(?:for|to (?:read|view|access)) the (?:full|entire|whole) (?:story|article)|"
    r"(?:if you(?:'re| are|’re) [^.]{0,40})?already a (?:subscriber|member)\b|"
    r"(?:sind sie )?bereits abonnent(?:in)?\b|(?:sie haben|du hast) bereits ein abo|jetzt weiterlesen mit\b|"
    r"déjà abonné|pour (?:accéder en illimité|lire la suite|continuer à lire)\b|¿ya eres (?:suscriptor|miembro)|"
    r"para (?:seguir|continuar) leyendo (?:esta|este)\b)",
    re.IGNORECASE,
)
#: Advertising and affiliate disclosures: "This post contains affiliate links", "We may receive compensation
#: when you click…", "Bei den Verlinkungen handelt es sich um Affiliate-Links", "*Werbung. Dieser Beitrag
#: enthält Werbung", "Cet article contient des liens affiliés".
DISCLOSURE_TEXT: Final = re.compile(
    r"^\*?(?:this (?:post|article|page|story) (?:contains|may contain|includes) (?:affiliate links|references to products|sponsored)|"
    r"(?:we|i) (?:may )?(?:receive|earn) (?:a )?(?:small )?(?:compensation|commission)|"
    r"(?:letzte aktualisierung am [\d.]+ / )?bei (?:den|diesen) (?:verlinkungen|links) handelt es sich um affiliate|"
    r"(?:werbung\.? )?(?:dieser|der) (?:beitrag|artikel|post) enthält (?:unbezahlte )?(?:werbung|affiliate)|"
    r"cet article contient des liens (?:affiliés|sponsorisés)|este (?:artículo|post) contiene enlaces (?:de )?afiliados)",
    re.IGNORECASE,
)
#: These as one pattern: each block is tested once (a regex call costs more than its match).
READER_PROMPT: Final = re.compile(
    "|".join(p.pattern for p in (FOLLOW_TEXT, LOGIN_TEXT, POSTED_IN_TEXT, APPEAL_TEXT, PAYWALL_TEXT, DISCLOSURE_TEXT)),
    re.IGNORECASE,
)
