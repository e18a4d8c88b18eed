"""Evaluation as FHIR R4: Questionnaire, and QuestionnaireResponse only where consent and the
small-count rule allow; never a subject, a free text, an exact date or another organisation."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from entrepairs.accompaniment.models import Consent, ConsentPurpose
from entrepairs.api.models import Scope
from entrepairs.core.models import AccessEvent
from entrepairs.evaluation.fhir import from_questionnaire
from entrepairs.evaluation.models import Campaign, LinkedResponse
from entrepairs.evaluation.publishing import publish
from tests.evaluation.factories import builtin, campaign, consenting_person
from tests.evaluation.test_outcomes import anonymous, linked

from .conftest import issue_token, token_client

pytestmark = pytest.mark.django_db
SATISFACTION = {
    "understood": "yes",
    "confidence": "yes",
    "future": "partly",
    "relatives": "yes",
    "overall": 7,
    "comment": "Merci à Camille Dupont, ma paire",
}


def responses_of(client, version, **query):
    response = client.get(
        reverse("api:fhir_questionnaire_responses"), {"questionnaire": version.pk, **query}
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+json"
    return response.json()


@pytest.fixture
def evaluation(world):
    _token, secret = issue_token(world, "a", [Scope.EVALUATION])
    return token_client(secret)


def test_questionnaires_as_fhir(world, evaluation):
    version = builtin("who-5")  # loads the built-in questionnaires
    bundle = evaluation.get(reverse("api:fhir_questionnaires")).json()
    Bundle.model_validate(bundle)
    codes = {e["resource"]["identifier"][0]["value"] for e in bundle["entry"]}
    assert {"who-5", "satisfaction-personnes"} <= codes
    one = evaluation.get(reverse("api:fhir_questionnaire", kwargs={"pk": version.pk})).json()
    assert one["id"] == str(version.pk)
    assert from_questionnaire(one)["items"] == version.definition["items"]  # round trip


def test_questionnaire_imported_by_another_organisation_is_not_found(world, evaluation):
    definition = {
        **builtin("who-5").definition,
        "code": "maison-b",
        "title": "Questionnaire maison B",
    }
    version, _created = publish(definition, organisation=world.org_b)
    response = evaluation.get(reverse("api:fhir_questionnaire", kwargs={"pk": version.pk}))
    assert response.status_code == 404
    assert response.json() == {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": "error", "code": "not-found", "diagnostics": "Questionnaire introuvable."}
        ],
    }
    assert "maison B" not in evaluation.get(reverse("api:fhir_questionnaires")).content.decode()
    response = evaluation.get(
        reverse("api:fhir_questionnaire_responses"), {"questionnaire": version.pk}
    )
    assert response.status_code == 404


def test_fewer_than_eleven_answers_give_nothing(world, evaluation):
    version = builtin("satisfaction-personnes")
    anonymous(world, "a", "satisfaction-personnes", SATISFACTION, n=10)
    anonymous(world, "b", "satisfaction-personnes", SATISFACTION, n=30)  # not ours
    bundle = responses_of(evaluation, version)
    assert bundle["total"] == 0
    assert [e["search"]["mode"] for e in bundle["entry"]] == ["outcome"]
    assert "moins de 11 réponses" in bundle["entry"][0]["resource"]["issue"][0]["diagnostics"]


def test_answers_leave_without_person_free_text_nor_exact_date(world, evaluation):
    version = builtin("satisfaction-personnes")
    anonymous(world, "a", "satisfaction-personnes", SATISFACTION, n=11)
    bundle = responses_of(evaluation, version)
    Bundle.model_validate(bundle)
    assert bundle["total"] == 11
    text = json.dumps(bundle, ensure_ascii=False)
    assert "Camille" not in text  # free text never leaves
    resource = bundle["entry"][0]["resource"]
    assert "subject" not in resource and "id" not in resource and "source" not in resource
    assert resource["authored"] == timezone.localdate().strftime("%Y-%m")
    assert {i["linkId"] for i in resource["item"]} == {
        "understood",
        "confidence",
        "future",
        "relatives",
        "overall",
    }


def test_follow_up_answers_count_only_while_consent_is_in_force(world, evaluation):
    version = builtin("who-5")
    camp = campaign(world, "a", code="who-5", mode=Campaign.Mode.LINKED)
    persons = [consenting_person(world, "a") for _i in range(11)]
    for person in persons:
        linked(world, person, camp, "start", 12, days_ago=3)
    refused = consenting_person(world, "a", consent=False)
    linked(world, refused, camp, "start", 15, days_ago=3)
    bundle = responses_of(evaluation, version)
    assert bundle["total"] == 11
    event = AccessEvent.objects.get(action="export")
    exported = set(LinkedResponse.objects.filter(person__in=persons).values_list("pk", flat=True))
    assert set(event.object_ids) == exported
    assert (event.object_type, event.organisation) == ("evaluation.linkedresponse", world.org_a)
    # One person withdraws: at once, below 11, nothing leaves any more.
    Consent.objects.create(
        person=persons[0], purpose=ConsentPurpose.EVALUATION, given=False, means="oral"
    )
    bundle = responses_of(evaluation, version)
    assert bundle["total"] == 0


def test_order_follows_neither_arrival_nor_person(world, evaluation):
    version = builtin("who-5")
    camp = campaign(world, "a", code="who-5", mode=Campaign.Mode.LINKED)
    for i, raw in enumerate([8, 10, 11, 12, 13, 14, 15, 8, 10, 11, 12, 13, 14, 15]):
        linked(world, consenting_person(world, "a"), camp, "start", raw, days_ago=1 + i % 2)
    bundle = responses_of(evaluation, version, taille=200)
    authored = {e["resource"]["authored"] for e in bundle["entry"]}
    assert len(authored) <= 2 and all(len(a) == 7 for a in authored)
    arrival = [
        tuple(a[q] for q in ("q1", "q2", "q3", "q4", "q5"))
        for a in LinkedResponse.objects.order_by("pk").values_list("answers", flat=True)
    ]
    given = [
        tuple(i["answer"][0]["valueCoding"]["code"] for i in e["resource"]["item"])
        for e in bundle["entry"]
    ]
    assert sorted(given) == sorted(arrival)
    assert given != arrival  # 14!/2^7 orders: equal only if the order followed arrival


def test_questionnaire_parameter_is_required(world, evaluation):
    response = evaluation.get(reverse("api:fhir_questionnaire_responses"))
    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "invalid"
