import itertools

import pytest

from priorities.rules import FACT_NAMES, FACTS_BY_NAME, classify

TIER_OF = {
    "blocks_pay": 1,
    "blocks_delivery": 1,
    "blocks_supplier_payment": 1,
    "blocks_reporting": 1,
    "extra_work_local": 2,
    "extra_work_central": 3,
    "frustration": 3,
}


def _expected(answers: dict[str, bool]) -> tuple[int, set[str]]:
    """The seed's rule, written out independently of the implementation's data table."""
    tier1 = {
        f
        for f in ("blocks_pay", "blocks_delivery", "blocks_supplier_payment", "blocks_reporting")
        if answers[f]
    }
    if tier1:
        return 1, tier1
    if answers["extra_work_local"]:
        return 2, {"extra_work_local"}
    tier3 = {f for f in ("extra_work_central", "frustration") if answers[f]}
    return 3, tier3


ALL_COMBINATIONS = [
    dict(zip(FACT_NAMES, values, strict=True))
    for values in itertools.product([False, True], repeat=len(FACT_NAMES))
]


def test_table_covers_all_128_combinations() -> None:
    assert len(ALL_COMBINATIONS) == 128
    assert len({tuple(sorted(c.items())) for c in ALL_COMBINATIONS}) == 128


@pytest.mark.parametrize(
    "answers",
    ALL_COMBINATIONS,
    ids=["".join("1" if v else "0" for v in c.values()) for c in ALL_COMBINATIONS],
)
def test_classify_every_combination(answers: dict[str, bool]) -> None:
    tier, deciding = _expected(answers)
    result = classify(answers)
    assert result.tier == tier
    assert set(result.deciding_facts) == deciding
    assert result.reasons, "every classification explains itself"
    for reason in result.reasons:
        assert reason.nb
        assert reason.en
        if reason.fact is not None:
            assert answers[reason.fact] is True
            assert FACTS_BY_NAME[reason.fact].tier == tier


def test_facts_have_the_tiers_of_the_seed() -> None:
    assert {name: FACTS_BY_NAME[name].tier for name in FACT_NAMES} == TIER_OF


def test_no_yes_gives_tier_3_with_a_default_reason() -> None:
    result = classify({})
    assert result.tier == 3
    assert result.deciding_facts == ()
    assert "nivå 3" in result.reasons[0].nb


def test_reason_names_the_deciding_answer_in_both_languages() -> None:
    result = classify({"blocks_pay": True, "frustration": True})
    assert result.tier == 1
    assert result.deciding_facts == ("blocks_pay",)
    assert "lønn" in result.reasons[0].text("nb")
    assert "pay" in result.reasons[0].text("en")


def test_unknown_fact_is_an_error_not_silence() -> None:
    with pytest.raises(ValueError, match="blocks_coffee"):
        classify({"blocks_coffee": True})
