"""The anonymisation of a person erases what evaluation holds on them as free text, and their
pending links, in the anonymisation's own transaction (docs/accompagnement.md)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.evaluation.models import Campaign, Invitation, LinkedResponse
from entrepairs.evaluation.scoring import score_response

from .factories import campaign, consenting_person

pytestmark = pytest.mark.django_db

COMMENT = "Mon pair-aidant Karim m'a aidée à revoir ma fille à Lens"


def test_anonymisation_erases_free_text_answers_and_pending_links(world):
    person = consenting_person(world)
    linked = campaign(world, mode=Campaign.Mode.LINKED)
    definition = linked.instrument_version.definition
    answers = {
        "understood": "yes",
        "confidence": "partly",
        "future": "yes",
        "relatives": "no",
        "overall": 8,
        "comment": COMMENT,
    }
    scores = score_response(definition, answers)
    answered = LinkedResponse.objects.create(
        person=person,
        campaign=linked,
        organisation=person.organisation,
        instrument_version=linked.instrument_version,
        timepoint="start",
        answers=answers,
        scores=scores,
        completed_at=timezone.now(),
    )
    pending, token = Invitation.issue(
        linked, person=person, accompaniment=person.accompaniments.first(), timepoint="end"
    )

    response = world.client("peer_a").post(
        reverse("accompaniment:person_anonymise", args=[person.pk]),
        {"confirm": "on", "end_reason": "person_choice"},
    )

    assert response.status_code == 302
    answered.refresh_from_db()
    assert "comment" not in answered.answers
    assert answered.answers["overall"] == 8 and answered.scores == scores  # statistics kept
    assert not Invitation.objects.filter(pk=pending.pk).exists()
    assert (
        world.client("anonymous").get(reverse("evaluation:answer", args=[token])).status_code == 404
    )
