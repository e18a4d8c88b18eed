import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entrepairs.evaluation.definitions import builtin_definitions, normalise
from entrepairs.evaluation.scoring import (
    AnswerError,
    clean_answer,
    clean_answers,
    scale_range,
    score_response,
)

WHO5_ITEMS = ["q1", "q2", "q3", "q4", "q5"]


def who5(answers):
    return score_response(
        builtin_definitions()["who-5"], dict(zip(WHO5_ITEMS, answers, strict=False))
    )


@pytest.mark.parametrize(
    "answers, raw, percentage, band",
    [
        ("55555", 25, 100, "ok"),
        ("32322", 12, 48, "low_wellbeing"),
        ("11212", 7, 28, "likely_depression"),
        ("00000", 0, 0, "likely_depression"),
    ],
)
def test_who5_worked_examples(answers, raw, percentage, band):
    scores = who5(list(answers))
    assert scores["raw"]["score"] == raw
    assert scores["percentage"]["score"] == percentage
    assert scores["percentage"]["band"] == band


def test_who5_bands_are_never_shown_to_the_person_as_a_diagnosis():
    assert who5(list("11212"))["percentage"]["band_shown_to_person"] is False
    assert who5(list("32322"))["percentage"]["band_shown_to_person"] is False


def test_who5_missing_item_gives_no_score():
    scores = who5(list("5555"))
    assert scores == {"raw": None, "percentage": None}


def test_reverse_scored_items():
    climate = builtin_definitions()["climat-equipe"]
    best = {"role_clarity": "5", "dilution": "1", "confusion": "1", "added_value": "5"}
    worst = {"role_clarity": "1", "dilution": "5", "confusion": "5", "added_value": "1"}
    assert score_response(climate, best)["climate"]["score"] == 100
    assert score_response(climate, worst)["climate"]["score"] == 0
    # fear of dilution is reported on its own 1–5 scale, higher = more fear
    assert score_response(climate, worst)["fear_dilution"]["score"] == 5
    assert score_response(climate, best)["fear_dilution"]["score"] == 1


def test_mean_and_linear_transform():
    satisfaction = builtin_definitions()["satisfaction-personnes"]
    scores = score_response(
        satisfaction, {"understood": "yes", "confidence": "partly", "future": "no"}
    )
    assert scores["benefit"]["raw"] == 1
    assert scores["benefit"]["score"] == 50


def test_unscored_option_gives_no_score():
    definition = normalise(
        {
            "code": "essai",
            "version": "1",
            "title": "Essai",
            "audience": "person",
            "validated": False,
            "licence": "libre",
            "source": "nous",
            "items": [
                {
                    "code": "a",
                    "text": "Question A",
                    "type": "single_choice",
                    "options": [
                        {"code": "y", "label": "Oui", "score": 1},
                        {"code": "nsp", "label": "Je ne sais pas"},
                    ],
                }
            ],
            "scales": [{"code": "s", "label": "S", "items": ["a"], "method": "sum"}],
        }
    )
    assert score_response(definition, {"a": "nsp"})["s"] is None
    assert score_response(definition, {"a": "y"})["s"]["score"] == 1


@pytest.mark.parametrize(
    "item_code, raw",
    [("q1", "6"), ("q1", "-1"), ("q1", 5), ("q1", ["5"]), ("q1", "cinq")],
)
def test_answers_outside_the_scale_are_refused(item_code, raw):
    item = next(i for i in builtin_definitions()["who-5"]["items"] if i["code"] == item_code)
    with pytest.raises(AnswerError):
        clean_answer(item, raw)


@pytest.mark.parametrize("raw", ["11", "-1", "3.5", "dix", True])
def test_zero_to_ten_refuses_other_values(raw):
    item = {"type": "zero_to_ten", "code": "o", "options": []}
    with pytest.raises(AnswerError):
        clean_answer(item, raw)


def test_free_text_length_and_missing_required():
    satisfaction = builtin_definitions()["satisfaction-personnes"]
    answers = {
        "understood": "yes",
        "confidence": "no",
        "future": "no",
        "relatives": "yes",
        "overall": "7",
    }
    assert clean_answers(satisfaction, answers)["overall"] == 7
    with pytest.raises(AnswerError, match="trop longue"):
        clean_answers(satisfaction, {**answers, "comment": "x" * 501})
    with pytest.raises(AnswerError, match="obligatoires"):
        clean_answers(satisfaction, {"understood": "yes"})
    with pytest.raises(AnswerError):
        clean_answers(satisfaction, {**answers, "hack": "1"})


def answer_strategy(item):
    if item["type"] == "zero_to_ten":
        return st.integers(0, 10)
    if item["type"] == "free_text":
        # Any text but NUL, which PostgreSQL cannot store (refused: see test_bad_input.py).
        return st.text(st.characters(exclude_characters="\x00"), max_size=item["max_length"])
    codes = [o["code"] for o in item["options"]]
    if item["type"] == "multiple_choice":
        return st.lists(st.sampled_from(codes), unique=True)
    return st.sampled_from(codes)


def answers_strategy(definition):
    return st.fixed_dictionaries(
        {},
        optional={item["code"]: answer_strategy(item) for item in definition["items"]},
    )


@pytest.mark.parametrize("code", sorted(builtin_definitions()))
def test_any_valid_answers_score_within_range(code):
    definition = builtin_definitions()[code]

    @settings(max_examples=200, deadline=None)
    @given(answers_strategy(definition))
    def check(answers):
        cleaned = clean_answers(definition, answers, complete=False)
        for scale in definition["scales"]:
            result = score_response(definition, cleaned)[scale["code"]]
            if result is None:
                continue
            low, high = scale_range(definition, scale)
            assert low - 1e-9 <= result["score"] <= high + 1e-9

    check()
