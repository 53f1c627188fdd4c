import pytest
from django.db import connection

from issues import permissions, search
from issues.models import Defect, User
from issues.selectors.defects import known_defects
from issues.selectors.reporting import SUGGESTION_LIMIT, similar_defects
from issues.services.defects import defect_transition
from tests.factories import make_defect

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def invoices(reporter: User, manager: User) -> dict[str, Defect]:
    made = {
        "fakturaer": make_defect(reporter, title="Fakturaer blir liggende i arbeidsflyt"),
        "fakturaen": make_defect(reporter, title="Fakturaen avvises uten begrunnelse"),
        "faktura": make_defect(reporter, title="Kredittnota kobles ikke til faktura"),
        "compound": make_defect(reporter, title="Leverandørfaktura mangler KID"),
        "other": make_defect(reporter, title="Signering av kontrakt feiler"),
    }
    for defect in made.values():
        defect_transition(defect=defect, actor=manager, to_status="triaged")
    return made


def _ids(qs: object) -> set[int]:
    return {d.pk for d in qs}  # type: ignore[attr-defined]


def test_postgres_is_in_use() -> None:
    assert connection.vendor == "postgresql"


@pytest.mark.parametrize("query", ["faktura", "Faktura", "fakt"])
def test_faktura_finds_every_inflection_and_compound(
    query: str, manager: User, invoices: dict[str, Defect]
) -> None:
    found = _ids(search.search_defects(Defect.objects.all(), query))
    expected = {invoices[k].pk for k in ("fakturaer", "fakturaen", "faktura", "compound")}
    assert found == expected


def test_inflected_query_finds_the_inflected_forms(invoices: dict[str, Defect]) -> None:
    found = _ids(search.search_defects(Defect.objects.all(), "fakturaen"))
    assert invoices["fakturaen"].pk in found
    assert invoices["other"].pk not in found


def test_every_word_must_match(invoices: dict[str, Defect]) -> None:
    found = _ids(search.search_defects(Defect.objects.all(), "faktura avvises"))
    assert found == {invoices["fakturaen"].pk}


def test_description_and_workaround_are_searched(reporter: User) -> None:
    d = make_defect(
        reporter,
        title="Ordre henger",
        description="Gjelder innkjøpsordre",
        workaround="Ring DFØ-kundesenteret",
    )
    assert _ids(search.search_defects(Defect.objects.all(), "kundesenteret")) == {d.pk}
    assert _ids(search.search_defects(Defect.objects.all(), "innkjøpsordre")) == {d.pk}


def test_search_stays_correct_inside_a_subquery(invoices: dict[str, Defect]) -> None:
    inner = search.search_defects(Defect.objects.all(), "signering").values("pk")
    assert _ids(Defect.objects.filter(pk__in=inner)) == {invoices["other"].pk}


def test_search_document_follows_edits(reporter: User, invoices: dict[str, Defect]) -> None:
    defect = invoices["other"]
    Defect.objects.filter(pk=defect.pk).update(title="Tilgang for gjester forsvinner")
    assert _ids(search.search_defects(Defect.objects.all(), "gjester")) == {defect.pk}
    assert defect.pk not in _ids(search.search_defects(Defect.objects.all(), "signering"))


def test_known_defects_search(reporter: User, invoices: dict[str, Defect]) -> None:
    found = _ids(known_defects(user=reporter, filters={"q": "faktura"}))
    assert invoices["fakturaer"].pk in found
    assert invoices["other"].pk not in found


def test_suggestions_rank_the_closest_title_first(
    reporter: User, invoices: dict[str, Defect]
) -> None:
    found = similar_defects(user=reporter, text="Fakturaen avvises")
    assert found[0].pk == invoices["fakturaen"].pk
    assert len(found) <= SUGGESTION_LIMIT


def test_suggestions_never_show_another_reporters_confidential_defect(
    reporter: User, other_reporter: User, manager: User
) -> None:
    secret = make_defect(
        other_reporter, title="Fakturaer til hemmelig leverandør", confidential=True
    )
    visible = make_defect(other_reporter, title="Fakturaer til vanlig leverandør")
    found = {d.pk for d in similar_defects(user=reporter, text="fakturaer leverandør")}
    assert found == {visible.pk}
    own = {d.pk for d in similar_defects(user=other_reporter, text="fakturaer")}
    assert secret.pk in own
    assert secret.pk in {d.pk for d in similar_defects(user=manager, text="fakturaer")}
    assert permissions.can_view_defect(reporter, secret) is False


def test_at_most_five_suggestions(reporter: User) -> None:
    for i in range(8):
        make_defect(reporter, title=f"Faktura nummer {i} stopper")
    assert len(similar_defects(user=reporter, text="faktura")) == 5


def test_short_titles_give_no_suggestions(reporter: User, invoices: dict[str, Defect]) -> None:
    assert similar_defects(user=reporter, text="faktura")  # there is something to suggest
    assert similar_defects(user=reporter, text="fa") == []
