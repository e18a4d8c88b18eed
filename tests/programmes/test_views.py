import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.core.models import AccessEvent
from entrepairs.evaluation.models import AnonymousResponse
from entrepairs.evaluation.publishing import load_builtin_instruments
from entrepairs.evaluation.scoring import score_response
from entrepairs.programmes.models import Funding, Programme, Status, StatusChange

from .factories import FundingFactory, ProgrammeFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db


def _programme(world, key="a"):
    programme = ProgrammeFactory(organisation=world.org(key), started_on=datetime.date(2022, 1, 3))
    StatusChangeFactory(
        programme=programme, status=Status.EXPERIMENTAL, effective_on=datetime.date(2022, 1, 3)
    )
    return programme


def _events(action, object_type):
    return AccessEvent.objects.filter(action=action, object_type=object_type)


def test_coordinator_describes_the_programme_and_it_is_audited(world):
    client = world.client("coordinator_a")
    response = client.post(
        reverse("programmes:edit"),
        {
            "name": "Pair-aidance au CMP",
            "started_on": "2023-02-01",
            "establishment_project_on": "2024-06-15",
            "in_qvt_approach": "on",
            "qvt_on": "",
            "facilities": [world.facility_a.pk],
            "referent": world.membership("coordinator_a").pk,
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(organisation=world.org_a)
    assert list(programme.facilities.all()) == [world.facility_a]
    assert programme.referent == world.membership("coordinator_a")
    assert _events("create", "programmes.programme").count() == 1
    page = client.get(reverse("programmes:detail")).content.decode()
    assert "Pair-aidance au CMP" in page
    assert "pas encore de statut" in page


def test_facilities_and_referent_of_another_organisation_are_refused(world):
    response = world.client("coordinator_a").post(
        reverse("programmes:edit"),
        {
            "name": "X",
            "started_on": "2023-02-01",
            "facilities": [world.facility_b.pk],
            "referent": world.membership("coordinator_b").pk,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "facilities" in form.errors and "referent" in form.errors
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"started_on": "1850-01-01"}, "started_on", "La date doit être comprise"),
        ({"started_on": "2099-01-01"}, "started_on", "futur"),
        ({"qvt_on": "2024-01-01"}, "qvt_on", "Cochez"),
        ({"establishment_project_on": "2010-01-01"}, "establishment_project_on", "cinq ans"),
        ({"name": ""}, "name", "obligatoire"),
    ],
)
def test_bad_programme_input_gives_a_french_message_and_saves_nothing(world, data, field, message):
    post = {"name": "Programme", "started_on": "2023-02-01", **data}
    response = world.client("director_a").post(reverse("programmes:edit"), post)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Programme.objects.exists()
    assert not _events("create", "programmes.programme").exists()


def test_status_history_and_status_on(world):
    programme = _programme(world)
    client = world.client("director_a")
    response = client.post(
        reverse("programmes:status_create"),
        {"status": "pilot", "effective_on": "2024-03-01", "note": "Décision du directoire"},
    )
    assert response.status_code == 302
    change = StatusChange.objects.get(programme=programme, status="pilot")
    assert change.recorded_by == world.user("director_a")
    assert _events("create", "programmes.statuschange").count() == 1
    assert programme.status_on(datetime.date(2024, 2, 29)) == Status.EXPERIMENTAL
    assert programme.current_status == Status.PILOT
    page = client.get(reverse("programmes:detail")).content.decode()
    assert "Décision du directoire" in page and "29/02/2024" not in page


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"status": "pilot", "effective_on": "2021-06-01"}, "effective_on", "avant le début"),
        ({"status": "pilot", "effective_on": "2022-01-03"}, "effective_on", "existe déjà"),
        ({"status": "experimental", "effective_on": "2023-01-01"}, "status", "déjà ce statut"),
        ({"status": "pilot", "effective_on": "2099-01-01"}, "effective_on", "futur"),
        ({"status": "promoted", "effective_on": "2023-01-01"}, "status", "Sélectionnez"),
    ],
)
def test_bad_status_change_is_refused(world, data, field, message):
    _programme(world)
    response = world.client("coordinator_a").post(reverse("programmes:status_create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert StatusChange.objects.count() == 1


def test_funding_amount_typed_the_french_way(world):
    programme = _programme(world)
    response = world.client("coordinator_a").post(
        reverse("programmes:funding_create"),
        {
            "source": "fir",
            "label": "",
            "amount": "45 000,50 €",
            "starts_on": "2024-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert response.status_code == 302
    funding = Funding.objects.get(programme=programme)
    assert str(funding.amount) == "45000.50"
    assert _events("create", "programmes.funding").count() == 1


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"amount": "0"}, "amount", "supérieur à zéro"),
        ({"amount": "-5"}, "amount", "supérieur à zéro"),
        ({"amount": "450000000"}, "amount", "invraisemblable"),
        ({"amount": "9" * 5000}, "amount", "montant"),
        ({"amount": "quarante"}, "amount", "montant"),
        ({"amount": "12,345"}, "amount", "centimes"),
        ({"ends_on": "2023-12-31"}, "ends_on", "après le début"),
        ({"ends_on": "2024-01-01"}, "ends_on", "après le début"),
        ({"source": "other", "label": ""}, "label", "Précisez"),
        ({"starts_on": "0001-01-01"}, "starts_on", "date"),
    ],
)
def test_bad_funding_is_refused_in_french(world, data, field, message):
    _programme(world)
    post = {
        "source": "fir",
        "label": "",
        "amount": "10000",
        "starts_on": "2024-01-01",
        "ends_on": "2025-01-01",
        **data,
    }
    response = world.client("coordinator_a").post(reverse("programmes:funding_create"), post)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Funding.objects.exists()


def test_funding_ending_soon_is_flagged_and_deletion_is_audited(world):
    programme = _programme(world)
    today = timezone.localdate()
    soon = FundingFactory(
        programme=programme,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=40),
    )
    FundingFactory(programme=programme, starts_on=today, ends_on=None, source="own_budget")
    client = world.client("director_a")
    page = client.get(reverse("programmes:detail")).content.decode()
    assert "se termine bientôt" in page and "Un financement se termine" in page
    maturity = client.get(reverse("programmes:maturity")).content.decode()
    assert "fin le" in maturity
    response = client.post(reverse("programmes:funding_delete", args=[soon.pk]))
    assert response.status_code == 302
    assert not Funding.objects.filter(pk=soon.pk).exists()
    assert _events("delete", "programmes.funding").count() == 1


def test_funding_of_another_organisation_answers_404(world):
    _programme(world, "a")
    other = FundingFactory(programme=_programme(world, "b"))
    client = world.client("coordinator_a")
    assert client.get(reverse("programmes:funding_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("programmes:funding_delete", args=[other.pk])).status_code == 404
    assert Funding.objects.filter(pk=other.pk).exists()


def test_peer_reads_without_edit_links(world):
    _programme(world)
    page = world.client("peer_a").get(reverse("programmes:detail")).content.decode()
    assert "Changer le statut" not in page and "Expérimental" in page


def _readiness(world, month, n, answer="yes"):
    version = next(
        v for v, _ in load_builtin_instruments() if v.instrument.code == "preparation-programme"
    )
    answers = {item["code"]: answer for item in version.definition["items"]}
    AnonymousResponse.objects.bulk_create(
        AnonymousResponse(
            organisation=world.org_a,
            instrument_version=version,
            month=month,
            answers=answers,
            scores=score_response(version.definition, answers),
        )
        for _ in range(n)
    )


def test_maturity_hides_a_year_with_fewer_than_eleven_answers(world):
    _programme(world)
    _readiness(world, datetime.date(2024, 3, 1), 10, "no")
    _readiness(world, datetime.date(2025, 3, 1), 11, "yes")
    response = world.client("coordinator_a").get(reverse("programmes:maturity"))
    years = {y["year"]: y for y in response.context["readiness"]}
    assert years[2024] == {"year": 2024, "small": True}
    assert years[2025]["n"] == 11 and years[2025]["score"]["mean"] == 100
    page = response.content.decode()
    assert "Moins de 11 réponses cette année" in page
    assert "11 réponses" in page and "100 %" in page


def test_maturity_without_answers_says_what_to_do(world):
    page = world.client("coordinator_a").get(reverse("programmes:maturity")).content.decode()
    assert "pas encore été remplie" in page and reverse("evaluation:campaign_list") in page
    director = world.client("director_a").get(reverse("programmes:maturity")).content.decode()
    assert reverse("evaluation:campaign_list") not in director
