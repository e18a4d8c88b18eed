import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from entrepairs.evaluation.definitions import InstrumentDefinitionError, builtin_definitions
from entrepairs.evaluation.fhir import (
    answers_from_response,
    from_questionnaire,
    to_questionnaire,
    to_questionnaire_response,
)


@pytest.mark.parametrize("code", sorted(builtin_definitions()))
def test_builtin_instrument_round_trips_through_fhir(code):
    definition = builtin_definitions()[code]
    exported = json.dumps(to_questionnaire(definition))
    Questionnaire.model_validate_json(exported)  # parses with fhir.resources
    assert from_questionnaire(exported) == definition


def test_who5_export_uses_native_fhir_weights():
    q = to_questionnaire(builtin_definitions()["who-5"])
    first = q["item"][0]
    assert first["type"] == "choice" and first["required"] is True
    option = first["answerOption"][0]
    assert option["valueCoding"] == {"code": "5", "display": "Tout le temps"}
    assert option["extension"][0]["valueDecimal"] == 5


def test_answers_round_trip_through_questionnaire_response():
    definition = builtin_definitions()["satisfaction-personnes"]
    answers = {
        "understood": "yes",
        "confidence": "partly",
        "future": "no",
        "relatives": "not_concerned",
        "overall": 8,
        "comment": "Merci",
    }
    resource = to_questionnaire_response(definition, answers, "2026-03")
    QuestionnaireResponse.model_validate(resource)
    assert "subject" not in resource
    assert resource["authored"] == "2026-03"
    assert answers_from_response(definition, resource) == answers


def test_foreign_questionnaire_imports_without_scores():
    foreign = {
        "resourceType": "Questionnaire",
        "status": "active",
        "title": "Questionnaire de l'établissement",
        "item": [
            {"linkId": "intro", "type": "display", "text": "Bonjour"},
            {
                "linkId": "Q1",
                "type": "choice",
                "text": "Êtes-vous satisfait ?",
                "answerOption": [{"valueString": "Oui"}, {"valueString": "Non"}],
            },
            {"linkId": "Q2", "type": "text", "text": "Pourquoi ?"},
        ],
    }
    definition = from_questionnaire(foreign)
    assert definition["code"] == "questionnaire-de-l-etablissement"
    assert definition["validated"] is False
    assert [i["type"] for i in definition["items"]] == ["single_choice", "free_text"]
    assert definition["scales"] == []


@pytest.mark.parametrize(
    "payload, reason",
    [
        ("pas du json", "JSON"),
        ({"resourceType": "Patient"}, "Questionnaire"),
        ({"resourceType": "Questionnaire", "status": "active", "item": "x"}, "invalide"),
        (
            {
                "resourceType": "Questionnaire",
                "status": "active",
                "title": "Essai",
                "item": [{"linkId": "a", "type": "attachment", "text": "Pièce"}],
            },
            "non pris en charge",
        ),
    ],
)
def test_bad_fhir_is_refused_in_french(payload, reason):
    with pytest.raises(InstrumentDefinitionError, match=reason):
        from_questionnaire(payload)
