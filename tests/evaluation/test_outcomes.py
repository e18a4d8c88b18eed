"""Outcome figures against values computed by hand (see the comments) on a fixed dataset."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.evaluation.definitions import builtin_definitions
from entrepairs.evaluation.models import AnonymousResponse, HospitalStay, LinkedResponse
from entrepairs.evaluation.outcomes import (
    hospital_days,
    instrument_results,
    paired_results,
    team_climate,
)
from entrepairs.evaluation.scoring import score_response
from entrepairs.evaluation.stats import mean_ci, paired_change, proportion

from .factories import builtin, campaign, consenting_person

TODAY = timezone.localdate()
MONTH = TODAY.replace(day=1)
WHO5 = {
    8: "22211",
    10: "22222",
    11: "32222",
    12: "33222",
    13: "33322",
    14: "33332",
    15: "33333",
}


def who5_answers(raw):
    return dict(zip(["q1", "q2", "q3", "q4", "q5"], WHO5[raw], strict=True))


def anonymous(world, org_key, code, answers, month=MONTH, n=1):
    version = builtin(code)
    scores = score_response(version.definition, answers)
    for _ in range(n):
        AnonymousResponse.objects.create(
            organisation=world.org(org_key),
            facility=world.facility(org_key),
            instrument_version=version,
            month=month,
            answers=answers,
            scores=scores,
        )


def linked(world, person, camp, timepoint, raw, days_ago):
    answers = who5_answers(raw)
    LinkedResponse.objects.create(
        person=person,
        campaign=camp,
        organisation=person.organisation,
        facility=camp.facility,
        instrument_version=camp.instrument_version,
        timepoint=timepoint,
        answers=answers,
        scores=score_response(camp.instrument_version.definition, answers),
        completed_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def dataset(world):
    # Satisfaction (anonymous), org A: 9 "yes", 2 "partly", 1 "no" to "mieux compris·e".
    base = {"confidence": "yes", "future": "yes", "relatives": "yes", "overall": 7}
    anonymous(world, "a", "satisfaction-personnes", {**base, "understood": "yes"}, n=9)
    anonymous(world, "a", "satisfaction-personnes", {**base, "understood": "partly"}, n=2)
    anonymous(world, "a", "satisfaction-personnes", {**base, "understood": "no"}, n=1)
    # Org B must never count for org A.
    anonymous(world, "b", "satisfaction-personnes", {**base, "understood": "no"}, n=5)
    # WHO-5 linked, 4 persons: percentages before 40, 48, 60, 32 and after 52, 56, 60, 44.
    camp = campaign(world, code="who-5", mode="linked")
    for before, after in ((10, 13), (12, 14), (15, 15), (8, 11)):
        person = consenting_person(world)
        linked(world, person, camp, "start", before, days_ago=200)
        linked(world, person, camp, "months", after, days_ago=20)
    # A person who withdrew the evaluation consent does not count.
    gone = consenting_person(world, consent=False)
    linked(world, gone, camp, "start", 15, days_ago=200)
    linked(world, gone, camp, "end", 8, days_ago=10)
    # Team climate: 2 answers last year, 1 this year.
    best = {
        "role_clarity": "5",
        "dilution": "1",
        "confusion": "1",
        "added_value": "5",
        "training": "yes",
    }
    middle = {
        "role_clarity": "3",
        "dilution": "3",
        "confusion": "3",
        "added_value": "3",
        "training": "no",
    }
    last_year = MONTH.replace(year=MONTH.year - 1)
    anonymous(world, "a", "climat-equipe", best, month=last_year)
    anonymous(world, "a", "climat-equipe", middle, month=last_year)
    anonymous(world, "a", "climat-equipe", best)
    # Hospital stays around the start of 3 accompaniments that started 2 years ago.
    start = TODAY - datetime.timedelta(days=730)
    day = datetime.timedelta(days=1)
    p1, p2, p3 = (consenting_person(world, start=start) for _ in range(3))
    stays = [
        (p1, start - 100 * day, start - 80 * day),  # 20 days before
        (p1, start + 30 * day, start + 35 * day),  # 5 days after
        (p2, start - 10 * day, start),  # 10 days before
        (p3, start + 100 * day, start + 103 * day),  # 3 days after
        (p3, start + 400 * day, start + 410 * day),  # outside the 12 months
    ]
    for person, admission, discharge in stays:
        HospitalStay.objects.create(
            organisation=world.org_a,
            person=person,
            admission=admission,
            discharge=discharge,
            legal_mode="SL",
        )
    return world


PERIOD = (TODAY - datetime.timedelta(days=800), TODAY)


def test_proportion_felt_better_understood_with_wilson_interval(dataset):
    results = instrument_results([dataset.org_a.pk], None, *PERIOD)
    satisfaction = next(
        r for r in results if r["version"].instrument.code == "satisfaction-personnes"
    )
    assert satisfaction["n"] == 12 and not satisfaction["small"]
    understood = next(p for p in satisfaction["proportions"] if p["code"] == "understood")
    # 9/12 = 0.75; Wilson: (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.95996
    assert understood["k"] == 9 and understood["n"] == 12
    assert understood["p"] == 0.75
    assert understood["low"] == pytest.approx(0.46769, abs=1e-4)
    assert understood["high"] == pytest.approx(0.91106, abs=1e-4)
    benefit = next(s for s in satisfaction["scales"] if s["label"].startswith("Bénéfices"))
    # understood yes=2 partly=1 no=0, others yes: means (2+2+2)/3×50=100 (×9), (1+2+2)/3×50 (×2), (0+2+2)/3×50 (×1)
    expected = (9 * 100 + 2 * 250 / 3 + 200 / 3) / 12
    assert benefit["mean"] == pytest.approx(expected)


def test_paired_change_mean_ci_and_effect_size(dataset):
    rows = paired_results([dataset.org_a.pk], None, *PERIOD)
    percentage = next(r for r in rows if r["label"].startswith("Score en pourcentage"))
    # diffs 12, 8, 0, 12: mean 8, sd √32 = 5.657, dz = 8/5.657 = 1.4142
    # CI: 8 ± t(0.975, 3)·sd/√4 = 8 ± 3.18245 × 2.8284 = [−1.0013, 17.0013]
    assert percentage["n"] == 4 and percentage["small"]
    assert percentage["mean_before"] == 45 and percentage["mean_after"] == 53
    assert percentage["mean_change"] == 8
    assert percentage["dz"] == pytest.approx(1.41421, abs=1e-4)
    assert percentage["low"] == pytest.approx(-1.00132, abs=1e-4)
    assert percentage["high"] == pytest.approx(17.00132, abs=1e-4)


def test_team_climate_by_year(dataset):
    series = team_climate([dataset.org_a.pk], None, TODAY)
    years = series[0]["years"]
    assert [y["year"] for y in years] == [MONTH.year - 1, MONTH.year]
    assert [y["n"] for y in years] == [2, 1]
    climate = years[0]["scales"][0]
    # best gives 100, middle (all 3, two reversed) gives (3−1)×25 = 50: mean 75
    assert climate["mean"] == 75


def test_hospital_days_before_and_after(dataset):
    result = hospital_days([dataset.org_a.pk], None, *PERIOD, TODAY)
    # before 20, 10, 0; after 5, 0, 3: diffs −15, −10, 3, mean −7.333, sd 9.2916
    # dz = −0.78925; CI = −7.333 ± t(0.975, 2)·9.2916/√3 = −7.333 ± 4.30265 × 5.3645
    assert result["n"] == 3 and result["small"]
    assert result["mean_before"] == 10
    assert result["mean_after"] == pytest.approx(8 / 3)
    assert result["mean_change"] == pytest.approx(-22 / 3)
    assert result["dz"] == pytest.approx(-0.78925, abs=1e-4)
    assert result["low"] == pytest.approx(-30.4149, abs=1e-3)
    assert result["high"] == pytest.approx(15.7482, abs=1e-3)
    assert result["hospitalised_before"] == 2 and result["hospitalised_after"] == 2


def test_statistics_helpers_known_values():
    assert mean_ci([1, 2, 3, 4])["low"] == pytest.approx(0.44574, abs=1e-4)
    assert proportion(78, 100)["low"] == pytest.approx(0.68930, abs=1e-4)
    assert paired_change([1], [2])["low"] is None


def _current_year():
    return str(TODAY.year)


def test_coordinator_reads_the_outcomes_page(dataset):
    """The coordinator holds the records: unprotected figures of the year under way (a fixed
    calendar period, not free dates)."""
    if (TODAY - datetime.timedelta(days=20)).year != TODAY.year:
        pytest.skip("the answers of the dataset straddle two calendar years")
    client = dataset.client("coordinator_a")
    page = client.get(
        reverse("evaluation:outcomes") + f"?period={_current_year()}"
    ).content.decode()
    assert "75,0 %" in page  # felt better understood
    assert "46,8 % – 91,1 %" in page
    assert "effectif trop faible" in page  # paired n = 4
    assert "régression vers la moyenne" in page
    assert "8,0" in page


def test_observers_and_directors_read_only_the_protected_publication(dataset):
    """Outside the team holding the records (a director included), the page shows the
    published figures of a published period only; free dates are not accepted."""
    from entrepairs.observatory.publishing import publish

    year = TODAY.year - 1
    from entrepairs.observatory.periods import Period

    publish(Period.year(year), indicators=["mieux_compris", "who5_avant_apres"])
    for persona in ("regional_observer", "director_a"):
        client = dataset.client(persona)
        page = client.get(reverse("evaluation:outcomes")).content.decode()
        assert 'id="published-title"' in page and str(year) in page
        assert "Bénéfices perçus" not in page  # no live computation
        # A free window is not a choice: the form refuses it and nothing is computed.
        page = client.get(
            reverse("evaluation:outcomes") + f"?period={TODAY.isoformat()}"
        ).content.decode()
        assert 'id="published-title"' not in page
        # The year under way is not published: not a choice either.
        page = client.get(reverse("evaluation:outcomes") + f"?period={TODAY.year}").content
        assert 'id="published-title"' not in page.decode()


def test_director_cannot_import_stays_nor_choose_dates(dataset):
    assert dataset.client("director_a").get(reverse("evaluation:stays_import")).status_code == 403
    page = dataset.client("director_a").get(
        reverse("evaluation:outcomes") + "?start=2026-05-01&end=2025-01-01"
    )
    assert page.status_code == 200
    assert 'name="start"' not in page.content.decode()


def test_builtin_definitions_cover_the_dataset():
    assert "understood" in {
        i["code"] for i in builtin_definitions()["satisfaction-personnes"]["items"]
    }
