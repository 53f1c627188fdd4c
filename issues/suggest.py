"""Which known defects a new report probably duplicates: candidates from the database's text
index, ranked by one pure scoring function on both databases.

Candidates are every visible defect that shares any stem (or a synonym's stem) with the title,
plus titles similar by trigrams (typos); they are ranked by ``score``: how many of the report's
terms the known title covers, the description's share, trigram similarity of the titles, and the
category the reporter picked. Unlike the list search no word is required: a paraphrase changes
words ("blir avvist" for "avvises").
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet

from issues import search_sqlite, textmatch
from issues.models import Defect
from issues.search import DefectSQL

# How many candidates each index hands to the ranking; bounded so a common word stays cheap.
TEXT_CANDIDATES = 100
TITLE_CANDIDATES = 20
# Below this a candidate shares too little with the report to be worth the reporter's time.
MIN_SCORE = 0.3
DESCRIPTION_CHARS = 2000


@dataclass(frozen=True)
class Candidate:
    pk: int
    title: str
    description: str
    category_id: int | None


def score(
    query: str, candidate: Candidate, *, query_terms: Sequence[str], category_id: int | None
) -> float:
    """0..~1.1: title coverage weighs most; the picked category only breaks near-ties."""
    title_cov = textmatch.coverage(list(query_terms), textmatch.stems(candidate.title))
    desc_cov = textmatch.coverage(
        list(query_terms), textmatch.stems(candidate.description[:DESCRIPTION_CHARS])
    )
    similarity = textmatch.trigram_similarity(query, candidate.title)
    same_category = 0.1 if category_id is not None and category_id == candidate.category_id else 0
    return 0.6 * title_cov + 0.15 * desc_cov + 0.25 * similarity + same_category


def _text_candidate_ids(queryset: QuerySet[Defect], stems: list[str]) -> list[int]:
    if connection.vendor == "postgresql":
        # The document holds norwegian stems; ours are the same, so 'simple' must not re-stem.
        tsquery = " | ".join(f"{s}:*" for s in stems)
        match = DefectSQL(
            "{t}.search_document @@ to_tsquery('simple'::regconfig, %s)",
            (tsquery,),
            output_field=BooleanField(),
        )
        rank = DefectSQL(
            "ts_rank({t}.search_document, to_tsquery('simple'::regconfig, %s))",
            (tsquery,),
            output_field=FloatField(),
        )
        qs = queryset.filter(match).annotate(_rank=rank).order_by("-_rank", "pk")
        return list(qs.values_list("pk", flat=True)[:TEXT_CANDIDATES])
    sql, params = search_sqlite.any_stem_condition(stems, TEXT_CANDIDATES)
    cond = DefectSQL(sql, tuple(params), output_field=BooleanField())
    return list(queryset.filter(cond).values_list("pk", flat=True))


def _title_candidate_ids(queryset: QuerySet[Defect], text: str) -> list[int]:
    if connection.vendor == "postgresql":
        similar = DefectSQL("{t}.title %% %s", (text,), output_field=BooleanField())
        sim = DefectSQL("similarity({t}.title, %s)", (text,), output_field=FloatField())
        qs = queryset.filter(similar).annotate(_sim=sim).order_by("-_sim", "pk")
        return list(qs.values_list("pk", flat=True)[:TITLE_CANDIDATES])
    sql, params = search_sqlite.fuzzy_title_ids(text, TITLE_CANDIDATES)
    cond = DefectSQL(f"{{t}}.id IN ({sql})", tuple(params), output_field=BooleanField())
    return list(queryset.filter(cond).values_list("pk", flat=True))


def ranked_ids(
    queryset: QuerySet[Defect], text: str, *, category_id: int | None, limit: int
) -> list[int]:
    """Ids of up to ``limit`` defects of ``queryset`` most likely duplicated by a report titled
    ``text``, best first. Three queries whatever the size of the table."""
    query_terms = list(dict.fromkeys(textmatch.stems(text)))
    if not query_terms:
        return []
    widened = list(dict.fromkeys(s for t in query_terms for s in textmatch.synonyms(t)))
    ids = set(_text_candidate_ids(queryset, widened)) | set(_title_candidate_ids(queryset, text))
    rows = Defect.objects.filter(pk__in=ids).values_list("pk", "title", "description", "category")
    scored = []
    for pk, title, description, category in rows:
        candidate = Candidate(pk, title, description, category)
        value = score(text, candidate, query_terms=query_terms, category_id=category_id)
        if value >= MIN_SCORE:
            scored.append((-value, pk))
    return [pk for _neg, pk in sorted(scored)[:limit]]
