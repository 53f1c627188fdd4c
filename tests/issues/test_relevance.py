"""The shared relevance fixtures, on whichever database the run uses (SQLite in ``make test``,
PostgreSQL in CI): list search finds Norwegian word forms, suggestions catch paraphrases.

The measured figures are printed (``pytest -s``) for the closing note; the asserts hold the
floors the issue sets: search recall@10 >= 0.9 with a relevant top hit, suggestion recall@5 >= 0.8.
"""

import pytest
from django.db import connection

from issues import textmatch
from issues.demo.text import TEXTS
from issues.models import Area, Defect, DefectStatus, User
from issues.selectors.defects import defect_list
from issues.selectors.reporting import similar_defects
from issues.services.defects import defect_transition
from tests.factories import make_defect, make_user
from tests.issues.search_corpus import CORPUS, PARAPHRASES, SEARCH_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(manager: User) -> dict[str, Defect]:
    """The corpus, reported from all four universities; every third defect is still "Ny"."""
    reporters = [make_user("reporter", institution=i) for i in ("UiO", "UiB", "NTNU", "UiT")]
    made = {}
    for i, (slug, (area, title, description)) in enumerate(CORPUS.items()):
        defect = make_defect(
            reporters[i % 4], area=Area.objects.get(code=area), title=title, description=description
        )
        if i % 3:
            defect = defect_transition(defect=defect, actor=manager, to_status=DefectStatus.TRIAGED)
        made[slug] = defect
    return made


@pytest.fixture
def noise(corpus: dict[str, Defect]) -> int:
    """The demo data's titles that are not near-duplicates of a corpus defect: distractors."""
    known = [textmatch.stems(title) for _area, title, _d in CORPUS.values()]
    reporter = make_user("reporter", institution="UiB")
    made = 0
    for area, (titles, openings, _workarounds) in TEXTS.items():
        for i, title in enumerate(titles):
            terms = textmatch.stems(title)
            if any(textmatch.coverage(terms, k) >= 0.5 for k in known):
                continue
            make_defect(
                reporter,
                area=Area.objects.get(code=area),
                title=title,
                description=openings[i % len(openings)],
            )
            made += 1
    return made


def _relevant(query: str, defect: Defect) -> bool:
    """The hit holds the query's words in some form, a close spelling, or its area's code."""
    text = f"{defect.title} {defect.description}"
    doc = textmatch.stems(text)
    for word in textmatch.words(query):
        if word.upper() == defect.area.code or word in text.lower():  # also inside a compound
            continue
        if textmatch.coverage([textmatch.stem(word)], doc):
            continue
        spellings = [*textmatch.words(defect.title), *textmatch.stems(defect.title)]
        if max(textmatch.trigram_similarity(word, w) for w in spellings) < 0.3:
            return False
    return True


def test_search_relevance_fixture(manager: User, corpus: dict[str, Defect]) -> None:
    assert len(SEARCH_QUERIES) >= 30
    recalls, misses = [], []
    for query, expected in SEARCH_QUERIES.items():
        hits = list(defect_list(user=manager, filters={"q": query})[:10])
        keys = {d.pk for d in hits}
        found = [slug for slug in expected if corpus[slug].pk in keys]
        recalls.append(len(found) / len(expected))
        if len(found) < len(expected):
            misses.append((query, sorted(set(expected) - set(found))))
        assert hits, query
        assert _relevant(query, hits[0]), (query, hits[0].title)
    recall = sum(recalls) / len(recalls)
    print(f"\n[{connection.vendor}] search recall@10 = {recall:.3f} over {len(recalls)}; {misses}")
    assert recall >= 0.9, misses


def test_suggestion_paraphrase_fixture(corpus: dict[str, Defect], noise: int) -> None:
    assert len(PARAPHRASES) >= 40
    # Someone from a fifth place: sees every non-confidential defect, reported none of them.
    reporter = make_user("reporter", institution="UiT")
    misses = []
    for title, slug in PARAPHRASES:
        suggested = [d.pk for d in similar_defects(user=reporter, text=title)]
        if corpus[slug].pk not in suggested:
            misses.append((title, slug))
    recall = 1 - len(misses) / len(PARAPHRASES)
    print(
        f"\n[{connection.vendor}] suggestion recall@5 = {recall:.3f} over {len(PARAPHRASES)} "
        f"pairs, {len(corpus)} known defects + {noise} distractors"
    )
    print("misses:", misses)
    assert recall >= 0.8, misses


def test_new_defects_are_suggested(corpus: dict[str, Defect]) -> None:
    """Regression: a defect still in "Ny" is the likeliest duplicate and must be suggested."""
    new = corpus["invoice_rejected"]  # index 0: left in "Ny"
    assert new.status == DefectStatus.NEW
    reporter = make_user("reporter", institution="NTNU")
    suggested = similar_defects(user=reporter, text="Fakturaen blir avvist uten begrunnelse")
    assert suggested[0].pk == new.pk


def test_a_typo_search_picks_the_same_candidates_every_time(reporter: User, manager: User) -> None:
    """More equally close titles than the fuzzy search considers: the newest win, every time."""
    from issues.search import FUZZY_CANDIDATES

    first = make_defect(reporter, title="Faktura kommer ikke fram til attestant")
    for _ in range(FUZZY_CANDIDATES + 20):
        make_defect(reporter, title=first.title)
    newest = list(
        Defect.objects.filter(title=first.title).order_by("-pk").values_list("pk", flat=True)
    )[:FUZZY_CANDIDATES]
    for _ in range(2):
        found = set(
            defect_list(user=manager, filters={"q": "fakutra"}).values_list("pk", flat=True)
        )
        assert found == set(newest)
