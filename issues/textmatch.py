"""Norwegian word forms, shared by both databases and by the suggestion ranking (pure, no ORM).

``stems`` reduces text the way PostgreSQL's ``norwegian`` text-search configuration does: the
same Snowball stemmer and the same stop words, so the SQLite laptop default indexes and queries
the same terms as production. ``concepts`` adds a small domain thesaurus on top ("avvist",
"avvises" and "stoppet" are one complaint), and ``trigram_similarity`` is pg_trgm's measure, for
typos and compounds.
"""

import functools
import re

import snowballstemmer

_WORD_RE = re.compile(r"\w+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("norwegian")

# PostgreSQL's tsearch_data/norwegian.stop (the Snowball list), so both databases drop the same.
_STOP_TEXT = """og i jeg det at en et den til er som på de med han av ikke ikkje der så var meg seg men
    ett har om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor
    eller hva skal selv sjøl her alle vil bli ble blei blitt kunne inn når være kom noen noe ville
    dere deres kun ja etter ned skulle denne for deg si sine sitt mot å meget hvorfor dette disse
    uten hvordan ingen din ditt blir samme hvilken hvilke sånn inni mellom vår hver hvem vors hvis
    både bare enn fordi før mange også slik vært båe begge siden dykk dykkar dei deira deires
    deim di då eg ein eit eitt elles honom hjå ho hoe henne hennar hennes hoss hossen ingi inkje
    korleis korso kva kvar kvarhelst kven kvi kvifor me medan mi mine mykje no nokon noka nokor
    noko nokre sia sidan so somt somme um upp vere vore verte vort varte vart"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# Words that name the same complaint in BOTT reports. Each group is written as plain words; they
# are stemmed once. Kept short and domain-bound: a broad thesaurus would suggest everything.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("avvist", "avvises", "avvisning", "avslått", "stoppet", "stopper", "stanset", "blokkert"),
    ("faktura", "fakturaer", "regning", "inngående"),
    ("bestilling", "ordre", "innkjøpsordre", "rekvisisjon"),
    ("forsvinner", "forsvant", "borte", "mangler", "manglende", "mistet"),
    ("feiler", "krasjer", "virker", "fungerer"),
    ("treg", "tregt", "sakte", "forsinket", "forsinkelse", "venter"),
    ("tilgang", "tilganger", "rettighet", "rettigheter", "innlogging", "pålogging"),
    ("attestering", "attestant", "godkjenning", "godkjenner", "godkjent"),
    ("lønn", "lønnen", "lønnsutbetaling", "utbetaling", "utbetales"),
    ("kontrakt", "avtale", "avtaler"),
    ("signering", "signatur", "esignering", "signere"),
    ("gjest", "gjester", "gjestebruker", "tilknyttet", "tilknyttede"),
    ("rapport", "rapporter", "rapportering", "uttrekk"),
    ("leverandør", "leverandører", "leverandøren"),
    ("begrunnelse", "årsak", "forklaring", "melding"),
    ("toa", "timeavtale", "oppdragsavtale", "timelønn"),
    ("btb", "innkjøp", "anskaffelse"),
    ("nyansatt", "nyansatte", "nytilsatt", "nytilsatte"),
)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text or "")]


@functools.lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower()))


def stems(text: str) -> list[str]:
    """The indexed terms of ``text``: lower-cased, stop words dropped, stemmed."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def stem_document(text: str) -> str:
    """``stems`` as one space-separated string (what the SQLite full-text index stores)."""
    return " ".join(stems(text))


def _concept_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in SYNONYM_GROUPS:
        head = stem(group[0])
        for word in group:
            table[stem(word)] = head
    return table


_CONCEPTS = _concept_table()


def concept(term: str) -> str:
    """The group a stem belongs to (its first word's stem), or the stem itself."""
    return _CONCEPTS.get(term, term)


def synonyms(term: str) -> list[str]:
    """Every stem in ``term``'s group, ``term`` first (for widening a full-text query)."""
    head = concept(term)
    others = sorted(s for s, h in _CONCEPTS.items() if h == head and s != term)
    return [term, *others]


def terms_match(query_term: str, doc_term: str) -> bool:
    """Same concept, or one stem a prefix of the other ("faktur"/"faktura"), or the query stem
    inside a compound ("faktur" in "leverandørfaktur")."""
    if concept(query_term) == concept(doc_term):
        return True
    if min(len(query_term), len(doc_term)) >= 4 and (  # noqa: PLR2004 - shorter prefixes are noise
        doc_term.startswith(query_term) or query_term.startswith(doc_term)
    ):
        return True
    return len(query_term) >= 5 and query_term in doc_term  # noqa: PLR2004 - see above


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for w in words(text):
        padded = f"  {w} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def coverage(query_terms: list[str], doc_terms: list[str]) -> float:
    """The share of the query's terms that some term of the document matches."""
    if not query_terms:
        return 0.0
    hit = sum(1 for q in query_terms if any(terms_match(q, d) for d in doc_terms))
    return hit / len(query_terms)
