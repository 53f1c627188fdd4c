"""Text search over defects.

On PostgreSQL every word must match, either as a stemmed prefix in the norwegian full-text
configuration or as a substring of the title:

- the stemmed prefix is why "faktura" finds "fakturaer" and "fakturaen" (the stemmer reduces
  "faktura" to "faktur" and the inflected forms to "faktura"; ``faktur:*`` covers all three);
- the substring match (pg_trgm) catches compounds such as "leverandørfaktura", which the stemmer
  keeps as one word.

Both sides are served by GIN indexes (migration 0003_reporting_search): ``search_document``, a
tsvector column kept by a trigger and not modelled in Django, and a trigram index on the title.

Elsewhere (the SQLite laptop default): a plain case-insensitive match on title and description.
"""

import re
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, Field, FloatField, Q, QuerySet, Subquery

from issues.models import Defect

_WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
# Shorter words match too much to be useful as substrings (trigram needs three letters anyway).
MIN_SUBSTRING_LEN = 3

# Ordering by similarity is done on at most this many matches (taken in queue order), so a
# one-word query matching a fifth of all defects still costs a bounded amount.
SIMILARITY_CANDIDATES = 200


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


def _postgres_match(words: list[str]) -> Q:
    fts = DefectSQL(
        "{t}.search_document @@ to_tsquery('norwegian'::regconfig, %s)",
        (_prefix_query(words),),
        output_field=BooleanField(),
    )
    long_words = [w for w in words if len(w) >= MIN_SUBSTRING_LEN]
    if len(long_words) != len(words):
        return Q(fts)
    substrings = Q()
    for word in long_words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        substrings &= Q(
            DefectSQL(
                "{t}.title ILIKE %s",
                (f"%{escaped}%",),
                output_field=BooleanField(),
            )
        )
    return Q(fts) | substrings


def search_defects(queryset: QuerySet[Defect], text: str) -> QuerySet[Defect]:
    words = terms(text)
    if not words:
        return queryset
    key = Defect.pk_from_key(text)
    by_key = Q(pk=key) if key is not None else Q(pk__in=[])
    if connection.vendor != "postgresql":
        cond = Q()
        for word in words:
            cond &= Q(title__icontains=word) | Q(description__icontains=word)
        return queryset.filter(cond | by_key)
    return queryset.filter(_postgres_match(words) | by_key)


def order_by_title_similarity(
    queryset: QuerySet[Defect], text: str, *, candidate_order: tuple[str, ...]
) -> QuerySet[Defect]:
    """Most similar titles first, among the first ``SIMILARITY_CANDIDATES`` in ``candidate_order``.

    ``queryset`` must already be filtered (permissions, search); the result is a new queryset on
    Defect whose rows are a subset of it.
    """
    candidates = queryset.order_by(*candidate_order).values("pk")[:SIMILARITY_CANDIDATES]
    qs = Defect.objects.filter(pk__in=Subquery(candidates))
    if connection.vendor != "postgresql" or not text.strip():
        return qs.order_by(*candidate_order)
    similarity = DefectSQL(
        "word_similarity(%s, {t}.title)",
        (text.lower(),),
        output_field=FloatField(),
    )
    return qs.annotate(_similarity=similarity).order_by(F("_similarity").desc(), *candidate_order)
