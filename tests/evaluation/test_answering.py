import datetime
import re
import uuid

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Consent, ConsentPurpose
from entrepairs.evaluation.models import (
    AnonymousResponse,
    Campaign,
    Invitation,
    LinkedResponse,
    PendingAnswer,
)
from entrepairs.evaluation.pool import flush_due_batches

from .factories import consenting_person, invitation

SATISFACTION = [
    ("understood", "yes"),
    ("confidence", "partly"),
    ("future", "no"),
    ("relatives", "not_concerned"),
    ("overall", "8"),
    ("comment", "Merci beaucoup"),
]


DRAFT = re.compile(r'name="draft" value="([^"]*)"')


def draft_of(response) -> str:
    """The hidden draft a question page carries (anonymous questionnaires), or ""."""
    found = DRAFT.search(response.content.decode()) if response.status_code == 200 else None
    return found.group(1) if found else ""


def answer_all(client, url, answers=SATISFACTION, *, finish=True):
    """Answer each question in turn as a browser does: send back the draft the page carries
    and follow the redirects between questions. The last response is the final redirect."""
    response, draft = None, ""
    for step, (code, value) in enumerate(answers, start=1):
        response = client.post(url, {"q": step, code: value, "action": "next", "draft": draft})
        assert response.status_code in (200, 302), (step, response.status_code)
        if response.status_code == 302 and "?q=" in response["Location"]:
            response = client.get(response["Location"])
        assert "alert-danger" not in response.content.decode(), step
        draft = draft_of(response) or draft
    if finish:
        assert response.status_code == 302, response.status_code
    return response


def publish(campaign):
    """Close the campaign and write its waiting answers into the results, as the closing
    (task) or the nightly command does."""
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())
    return flush_due_batches()


def test_anonymous_questionnaire_one_question_per_screen(world, client):
    inv, token = invitation(world)
    url = reverse("evaluation:answer", args=[token])
    intro = client.get(url)
    assert "Il y a 6 questions" in intro.content.decode()
    page = client.get(url + "?q=2").content.decode()
    assert "Question 2 sur 6" in page
    assert "<fieldset" in page and "<legend" in page and 'type="radio"' in page
    assert "big-choice" in page
    response = answer_all(client, url)
    assert response["Location"] == reverse("evaluation:answer_thanks")
    inv.refresh_from_db()
    assert inv.is_used
    # The sheet waits, sealed, for its batch: nothing in the results yet.
    assert not AnonymousResponse.objects.exists()
    assert PendingAnswer.objects.filter(campaign=inv.campaign).count() == 1
    publish(inv.campaign)
    assert not PendingAnswer.objects.exists()
    saved = AnonymousResponse.objects.get()
    assert saved.answers["understood"] == "yes"
    assert saved.answers["overall"] == 8
    assert saved.scores["benefit"]["score"] == 50
    assert saved.month == timezone.localdate().replace(day=1)
    assert saved.organisation == world.org_a and saved.facility == world.facility_a
    assert "sessionid" not in client.cookies  # no session was ever opened


def test_anonymous_draft_stays_in_the_page_until_the_end(world, client):
    _inv, token = invitation(world)
    url = reverse("evaluation:answer", args=[token])
    first = client.post(url, {"q": 1, "understood": "yes"})
    assert first.status_code == 200 and "Question 2 sur 6" in first.content.decode()
    assert "no-store" in first["Cache-Control"] and first["Referrer-Policy"] == "strict-origin"
    second = client.post(url, {"q": 2, "confidence": "yes", "draft": draft_of(first)})
    assert "Question 3 sur 6" in second.content.decode()
    assert not AnonymousResponse.objects.exists()
    assert not PendingAnswer.objects.exists()
    assert not LinkedResponse.objects.exists()
    assert "sessionid" not in client.cookies
    # "Previous" shows the answer kept in the page.
    back = client.post(url, {"q": 3, "action": "previous", "draft": draft_of(second)})
    assert "Question 2 sur 6" in back.content.decode()
    assert re.search(r'value="yes"\s+checked', back.content.decode())


def test_forged_or_foreign_draft_is_refused_and_saves_nothing(world, client):
    inv, token = invitation(world)
    url = reverse("evaluation:answer", args=[token])
    _other, other_token = invitation(world)
    other = client.post(
        reverse("evaluation:answer", args=[other_token]), {"q": 1, "understood": "no"}
    )
    for forged in ("pas-une-signature", draft_of(other)):
        response = client.post(url, {"q": 6, "comment": "", "draft": forged})
        assert response.status_code == 400
        assert "Rien n'a été enregistré" in response.content.decode()
    inv.refresh_from_db()
    assert not inv.is_used and not PendingAnswer.objects.exists()


def test_anonymity_no_column_links_the_answer_back(world, client):
    """After an anonymous answer, nothing stored ties it to the person or the invitation."""
    person = consenting_person(world)
    inv, token = invitation(world)
    answer_all(client, reverse("evaluation:answer", args=[token]))
    publish(inv.campaign)
    response = AnonymousResponse.objects.get()

    # 1. The response row holds only organisation, facility, instrument version, month, answers.
    fields = {f.name for f in AnonymousResponse._meta.get_fields()}
    assert fields == {
        "id",
        "organisation",
        "facility",
        "instrument_version",
        "month",
        "answers",
        "scores",
    }
    assert isinstance(response.pk, uuid.UUID)  # random, not an arrival order
    assert response.month.day == 1
    assert not any(isinstance(f, models.DateTimeField) for f in AnonymousResponse._meta.fields)
    related = {
        f.related_model
        for f in AnonymousResponse._meta.get_fields()
        if f.is_relation and f.related_model
    }
    assert {m._meta.label for m in related} == {
        "territory.Organisation",
        "territory.Facility",
        "evaluation.InstrumentVersion",
    }

    # 2. No model of the project points to an anonymous response.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model is not AnonymousResponse, (
                    f"{model.__name__}.{field.name}"
                )

    # 3. No column of any row of any table holds the response id, and the response holds
    #    no value of the invitation or the person (ids, token hash, alias).
    response_id = str(response.pk)
    for model in apps.get_models():
        if model is AnonymousResponse:
            continue
        for row in model.objects.all().values():
            for column, value in row.items():
                assert response_id not in str(value), f"{model.__name__}.{column}"
                assert response_id.replace("-", "") not in str(value), f"{model.__name__}.{column}"
    row = AnonymousResponse.objects.filter(pk=response.pk).values().get()
    flat = " ".join(str(v) for v in row.values())
    assert inv.token_hash not in flat
    assert person.alias not in flat
    assert {row["organisation_id"], row["facility_id"], row["instrument_version_id"]} == {
        world.org_a.pk,
        world.facility_a.pk,
        inv.campaign.instrument_version_id,
    }
    # The anonymous invitation never named anybody.
    assert Invitation.objects.get(pk=inv.pk).person_id is None


def test_answer_outside_the_scale_is_refused_and_nothing_saved(world, client):
    _inv, token = invitation(world, linked=True)
    url = reverse("evaluation:answer", args=[token])
    response = client.post(url, {"q": 1, "understood": "peut-être"})
    assert response.status_code == 400
    assert "pas possible" in response.content.decode()
    response = client.post(url, {"q": 5, "overall": "11"})
    assert response.status_code == 400
    assert not LinkedResponse.objects.exists()


def test_missing_required_answer_is_refused(world, client):
    _inv, token = invitation(world, linked=True)
    url = reverse("evaluation:answer", args=[token])
    response = client.post(url, {"q": 1})
    assert response.status_code == 200
    assert "Choisissez une réponse pour continuer" in response.content.decode()
    assert not LinkedResponse.objects.exists()


def test_last_step_with_a_missing_earlier_answer_saves_nothing(world, client):
    inv, token = invitation(world)
    url = reverse("evaluation:answer", args=[token])
    first = client.post(url, {"q": 1, "understood": "yes"})
    response = client.post(url, {"q": 6, "comment": "", "draft": draft_of(first)})
    assert "Question 2 sur 6" in response.content.decode()
    assert not AnonymousResponse.objects.exists() and not PendingAnswer.objects.exists()
    inv.refresh_from_db()
    assert not inv.is_used


@pytest.mark.parametrize("bad_step", ["0", "7", "abc", ""])
def test_forged_step_is_refused(world, client, bad_step):
    _inv, token = invitation(world)
    response = client.post(
        reverse("evaluation:answer", args=[token]), {"q": bad_step, "understood": "yes"}
    )
    assert response.status_code == 400


def test_linked_questionnaire_can_stop_and_resume(world, client):
    inv, token = invitation(world, linked=True)
    url = reverse("evaluation:answer", args=[token])
    client.post(url, {"q": 1, "understood": "yes"})
    response = client.post(url, {"q": 2, "confidence": "no", "action": "stop"})
    assert "Vos réponses sont gardées" in response.content.decode()
    draft = LinkedResponse.objects.get()
    assert draft.completed_at is None
    assert draft.answers == {"understood": "yes", "confidence": "no"}
    # Later, from another device: the draft is found again.
    other = client.__class__()
    assert "Reprendre" in other.get(url).content.decode()
    assert re.search(r'value="no"\s+checked', other.get(url + "?q=2").content.decode())
    answer_all(other, url)
    response = LinkedResponse.objects.get()
    assert response.completed_at is not None
    assert response.person == inv.person and response.invitation == inv
    assert response.answers["understood"] == "yes"


def test_second_submission_is_refused(world, client):
    _inv, token = invitation(world)
    url = reverse("evaluation:answer", args=[token])
    answer_all(client, url)
    response = client.post(url, {"q": 6, "comment": "encore"})
    assert response.status_code == 410
    assert "déjà été rempli" in response.content.decode()
    assert PendingAnswer.objects.count() == 1


def test_expired_and_forged_links_say_so_kindly(world, client):
    _inv, token = invitation(world)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(reverse("evaluation:answer", args=[token]))
    assert response.status_code == 410
    assert "date limite" in response.content.decode()
    response = client.post(
        reverse("evaluation:answer", args=[token]), {"q": 1, "understood": "yes"}
    )
    assert response.status_code == 410
    response = client.get(reverse("evaluation:answer", args=["faux-jeton-invente"]))
    assert response.status_code == 404
    assert "Rien n'a été enregistré" in response.content.decode()
    assert not AnonymousResponse.objects.exists() and not PendingAnswer.objects.exists()


def test_only_a_hash_of_the_token_is_stored(world):
    inv, token = invitation(world)
    assert token not in str(Invitation.objects.filter(pk=inv.pk).values().get())
    assert len(token) >= 32


def test_withdrawing_evaluation_consent_removes_pending_invitations(world, client):
    person = consenting_person(world)
    inv, token = invitation(world, linked=True, person=person)
    client.post(reverse("evaluation:answer", args=[token]), {"q": 1, "understood": "yes"})
    assert LinkedResponse.objects.filter(completed_at__isnull=True).exists()
    Consent.objects.create(
        person=person, purpose=ConsentPurpose.EVALUATION, given=False, means="oral"
    )
    assert not Invitation.objects.filter(pk=inv.pk).exists()
    assert not LinkedResponse.objects.exists()
    assert client.get(reverse("evaluation:answer", args=[token])).status_code == 404


def test_qr_code_of_a_valid_link(world, client):
    _inv, token = invitation(world)
    response = client.get(reverse("evaluation:invitation_qr", args=[token]))
    assert response["Content-Type"] == "image/svg+xml"
    assert b'role="img"' in response.content
    assert client.get(reverse("evaluation:invitation_qr", args=["inconnu"])).status_code == 404
