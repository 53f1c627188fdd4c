"""Text search over defects.

On PostgreSQL every word must match, either as a stemmed prefix in the norwegian full-text
configuration or as a substring of the title:

- the stemmed prefix is why "faktura" finds "fakturaer" and "fakturaen" (the stemmer reduces
  "faktura" to "faktur" and the inflected forms to "faktura"; ``faktur:*`` covers all three);
- the substring match (pg_trgm) catches compounds such as "leverandørfaktura", which the stemmer
  keeps as one word.

Both sides are served by GIN indexes (migration 0003_search): ``search_document``, a
tsvector column kept by a trigger and not modelled in Django, and a trigram index on the title.

On SQLite (the laptop default) the same two sides come from FTS5 (``search_sqlite``): the
stems of the same Snowball stemmer with the same stop words, and a trigram title index.

When nothing matches on either database, a query with a typo ("fakutra") falls back to the
titles most similar by trigrams (``_fuzzy``): one more query, only for searches that found
nothing.
"""

import re
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, Field, FloatField, Q, QuerySet

from issues import search_sqlite, textmatch
from issues.models import Area, Defect

_WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
# Shorter words match too much to be useful as substrings (trigram needs three letters anyway).
MIN_SUBSTRING_LEN = 3


class DefectSQL(Expression):
    """SQL on columns of the queryset's own Defect table, e.g. the unmodelled search_document.

    Unlike RawSQL with a hard-coded table name, ``{t}`` becomes the alias of the query being
    compiled, so the condition stays correct inside subqueries (where the table is ``U0``).
    Precondition: the queryset's model is Defect.
    """

    def __init__(self, template: str, params: tuple[Any, ...], output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.template = template
        self.params = params

    def as_sql(
        self, compiler: Any, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        alias = compiler.query.get_initial_alias()
        return self.template.format(t=compiler.quote_name_unless_alias(alias)), self.params


def terms(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text or "")][:MAX_TERMS]


def _prefix_query(words: list[str]) -> str:
    # Words are \w+ only, so nothing in them is tsquery syntax.
    return " & ".join(f"{w}:*" for w in words)


def _postgres_word(word: str) -> Q:
    fts = Q(
        DefectSQL(
            "{t}.search_document @@ to_tsquery('norwegian'::regconfig, %s)",
            (_prefix_query([word]),),
            output_field=BooleanField(),
        )
    )
    if len(word) < MIN_SUBSTRING_LEN:
        return fts
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    title = DefectSQL("{t}.title ILIKE %s", (f"%{escaped}%",), output_field=BooleanField())
    return fts | Q(title)


def _word_match(words: list[str]) -> Q:
    """Every word matches: a form of it, a compound holding it, or the code of the defect's area
    (the abbreviations people type: "BtB", "ToA")."""
    postgres = connection.vendor == "postgresql"
    cond = Q()
    for word in words:
        if postgres:
            one = _postgres_word(word)
        else:
            sql, params = search_sqlite.word_condition(word)
            one = Q(DefectSQL(sql, tuple(params), output_field=BooleanField()))
        # A subquery, not a join to the area: the whole condition stays on the defect's own
        # row, so the count and the exists() need no join (and no join search when planned).
        cond &= one | Q(area__in=Area.objects.filter(code__iexact=word).values("pk"))
    return cond


# A title must share this share of trigrams with a mistyped word (pg_trgm's measure).
FUZZY_THRESHOLD = 0.3
FUZZY_CANDIDATES = 200


def _fuzzy(queryset: QuerySet[Defect], text: str) -> QuerySet[Defect]:
    """Defects whose titles are close to ``text`` word by word: typos such as "fakutra"."""
    if connection.vendor == "postgresql":
        similar = DefectSQL("word_similarity(%s, {t}.title)", (text,), output_field=FloatField())
        candidates = list(
            queryset.annotate(_sim=similar)
            .filter(_sim__gte=FUZZY_THRESHOLD)
            # Many titles tie on similarity: the id decides which 200, the same on every search.
            .order_by("-_sim", "-pk")
            .values_list("pk", "title")[:FUZZY_CANDIDATES]
        )
    else:
        sql, params = search_sqlite.fuzzy_title_ids(text, FUZZY_CANDIDATES)
        cond = DefectSQL(f"{{t}}.id IN ({sql})", tuple(params), output_field=BooleanField())
        candidates = list(queryset.filter(cond).values_list("pk", "title"))
    query_words = [w for w in textmatch.words(text) if w not in textmatch.STOP_WORDS]
    close = [pk for pk, title in candidates if _word_closeness(query_words, title)]
    return queryset.filter(pk__in=close)


def _word_closeness(query_words: list[str], title: str) -> bool:
    # Stems too: "fakutra" is as close to "faktura" (the stem of "fakturaen") as a typo gets.
    title_words = [*textmatch.words(title), *textmatch.stems(title)]
    if not query_words or not title_words:
        return False
    best = [max(textmatch.trigram_similarity(q, t) for t in title_words) for q in query_words]
    return sum(best) / len(best) >= FUZZY_THRESHOLD


def search_defects(queryset: QuerySet[Defect], text: str) -> QuerySet[Defect]:
    words = terms(text)
    if not words:
        return queryset
    key = Defect.pk_from_key(text)
    by_key = Q(pk=key) if key is not None else Q(pk__in=[])
    found = queryset.filter(_word_match(words) | by_key)
    if found.exists():
        return found
    return _fuzzy(queryset, text)
