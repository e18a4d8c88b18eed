"""manage.py purge_expired_invitations: unused invitations of closed campaigns go, answers stay."""

import datetime
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from entrepairs.evaluation.models import AnonymousResponse, Campaign, Invitation, LinkedResponse
from entrepairs.evaluation.pool import flush_due_batches

from .factories import campaign, consenting_person
from .test_answering import answer_all

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def purge(*args):
    out = StringIO()
    call_command("purge_expired_invitations", *args, stdout=out)
    return out.getvalue()


def answered_anonymously(client, c, n):
    for _ in range(n):
        _inv, token = Invitation.issue(c, timepoint="once")
        answer_all(client, reverse("evaluation:answer", args=[token]))


def linked_invitation(world, c, person=None):
    person = person or consenting_person(world)
    return Invitation.issue(
        c,
        person=person,
        accompaniment=person.accompaniments.first(),
        facility=world.facility_a,
        timepoint="start",
    )


def snapshot(model):
    return sorted((str(row) for row in model.objects.values()), key=str)


def test_unused_invitations_of_a_closed_campaign_are_deleted_answers_untouched(world, client):
    c = campaign(world)
    answered_anonymously(client, c, 2)
    unused = [Invitation.issue(c, timepoint="once")[0] for _ in range(3)]
    Campaign.objects.filter(pk=c.pk).update(closed_at=timezone.now())
    flush_due_batches()
    before = snapshot(AnonymousResponse)

    output = purge()

    assert "3 invitation(s) non utilisée(s) supprimée(s)" in output
    assert "dans 1 campagne(s) close(s)" in output
    assert not Invitation.objects.filter(pk__in=[i.pk for i in unused]).exists()
    assert Invitation.objects.filter(campaign=c, is_used=True).count() == 2
    assert snapshot(AnonymousResponse) == before and AnonymousResponse.objects.count() == 2


def test_anonymous_answers_stay_unlinkable_after_the_purge(world, client):
    c = campaign(world)
    answered_anonymously(client, c, 1)
    Invitation.issue(c, timepoint="once")
    Campaign.objects.filter(pk=c.pk).update(closed_at=timezone.now())
    flush_due_batches()
    purge()
    response_id = str(AnonymousResponse.objects.get().pk)
    for model in apps.get_models():
        if model is AnonymousResponse:
            continue
        for row in model.objects.all().values():
            for column, value in row.items():
                assert response_id not in str(value), f"{model.__name__}.{column}"


def test_linked_campaign_drafts_and_pending_links_go_completed_answers_stay(world, client):
    c = campaign(world, mode=Campaign.Mode.LINKED)
    done, done_token = linked_invitation(world, c)
    answer_all(client, reverse("evaluation:answer", args=[done_token]))
    started, started_token = linked_invitation(world, c)
    client.post(
        reverse("evaluation:answer", args=[started_token]),
        {"q": 1, "understood": "yes", "action": "next"},
    )
    untouched, _token = linked_invitation(world, c)
    completed = LinkedResponse.objects.get(completed_at__isnull=False)
    kept = LinkedResponse.objects.filter(pk=completed.pk).values().get()
    Campaign.objects.filter(pk=c.pk).update(closed_at=timezone.now())

    output = purge()

    assert "2 invitation(s) non utilisée(s) supprimée(s) (dont 2 nominative(s))" in output
    assert "1 brouillon(s) inachevé(s) supprimé(s)" in output
    assert set(Invitation.objects.values_list("pk", flat=True)) == {done.pk}
    assert LinkedResponse.objects.filter(pk=completed.pk).values().get() == kept
    assert LinkedResponse.objects.count() == 1
    assert not Invitation.objects.filter(pk__in=[started.pk, untouched.pk]).exists()


def test_campaign_past_its_closing_date_is_purged(world):
    c = campaign(world, opens_on=YESTERDAY - datetime.timedelta(days=30), closes_on=YESTERDAY)
    Invitation.issue(c, timepoint="once")
    assert "1 invitation(s)" in purge()
    assert not Invitation.objects.exists()


def test_running_campaigns_keep_every_invitation(world):
    running = campaign(world)
    Invitation.issue(running, timepoint="once")
    expired, _token = Invitation.issue(running, timepoint="once")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    closing_today = campaign(world, closes_on=timezone.localdate())
    Invitation.issue(closing_today, timepoint="once")
    output = purge()
    assert "0 invitation(s)" in output and "dans 0 campagne(s)" in output
    assert Invitation.objects.count() == 3


def test_other_organisations_closed_campaigns_are_purged_too(world):
    """The command runs for the whole platform, not for one organisation."""
    for org in ("a", "b"):
        Invitation.issue(campaign(world, org, closed_at=timezone.now()), timepoint="once")
    output = purge()
    assert "2 invitation(s)" in output and "dans 2 campagne(s)" in output
    assert not Invitation.objects.exists()


def test_dry_run_deletes_nothing(world, client):
    c = campaign(world, mode=Campaign.Mode.LINKED, closed_at=timezone.now())
    linked_invitation(world, c)
    output = purge("--dry-run")
    assert "1 invitation(s) non utilisée(s) à supprimer (dont 1 nominative(s))" in output
    assert Invitation.objects.count() == 1


def test_a_completed_answer_keeps_its_invitation_even_if_not_flagged_used(world, client):
    c = campaign(world, mode=Campaign.Mode.LINKED)
    inv, token = linked_invitation(world, c)
    answer_all(client, reverse("evaluation:answer", args=[token]))
    Invitation.objects.filter(pk=inv.pk).update(is_used=False)
    Campaign.objects.filter(pk=c.pk).update(closed_at=timezone.now())
    purge()
    assert LinkedResponse.objects.get().invitation_id == inv.pk
