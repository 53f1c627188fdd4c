"""Text search over defects.

On PostgreSQL: full text with the norwegian configuration OR a prefix match on the words, because
the Norwegian stemmer stems "faktura" and "fakturaer" differently. Elsewhere (the SQLite laptop
default): a plain case-insensitive match on title and description.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from .models import Defect

_WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def terms(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text or "")][:MAX_TERMS]


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
    # Each word as a prefix (":*") in the simple config catches inflections the stemmer splits.
    prefix = " & ".join(f"{w}:*" for w in words)
    vector = SearchVector("title", "description", "workaround", config="norwegian")
    simple_vector = SearchVector("title", "description", "workaround", config="simple")
    return queryset.annotate(_fts=vector, _pfx=simple_vector).filter(
        Q(_fts=SearchQuery(" ".join(words), config="norwegian"))
        | Q(_pfx=SearchQuery(prefix, config="simple", search_type="raw"))
        | by_key
    )
