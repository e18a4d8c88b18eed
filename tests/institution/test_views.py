import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.institution.models import InstitutionalActivity
from tests.utils import assert_constant_queries, last_access

from .factories import ActivityFactory

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def activity_data(**overrides):
    data = {
        "kind": InstitutionalActivity.Kind.AWARENESS,
        "title": "Sensibilisation de l'équipe de l'unité Les Tilleuls",
        "date": timezone.localdate().isoformat(),
        "duration_minutes": "120",
        "audience_nurses": "6",
        "audience_doctors": "2",
    }
    data.update(overrides)
    return data


def test_peer_records_an_activity_and_takes_part_in_it(world):
    response = world.client("peer_a").post(reverse("institution:activity_create"), activity_data())
    assert response.status_code == 302
    activity = InstitutionalActivity.objects.get()
    assert activity.organisation == world.org_a
    assert list(activity.peers.all()) == [world.peer("peer_a")]
    assert (activity.audience_nurses, activity.audience_doctors, activity.audience_other) == (
        6,
        2,
        0,
    )
    assert activity.audience_total == 8
    assert activity.instance == "" and activity.lived_experience_count is None
    assert last_access("institution.institutionalactivity").action == "create"


def test_instance_needs_its_sub_choice(world):
    url = reverse("institution:activity_create")
    response = world.client("peer_a").post(
        url, activity_data(kind=InstitutionalActivity.Kind.INSTANCE)
    )
    assert "Précisez l'instance (CDU, CLSM…)." in text(response)
    assert not InstitutionalActivity.objects.exists()
    response = world.client("peer_a").post(
        url,
        activity_data(
            kind=InstitutionalActivity.Kind.INSTANCE,
            instance=InstitutionalActivity.Instance.CLSM,
        ),
    )
    assert response.status_code == 302
    activity = InstitutionalActivity.objects.get()
    assert activity.kind_label == (
        "participation à une instance : CLSM (conseil local de santé mentale)"
    )


def test_instance_is_dropped_for_other_kinds(world):
    world.client("peer_a").post(
        reverse("institution:activity_create"),
        activity_data(instance=InstitutionalActivity.Instance.CDU, lived_experience_count="3"),
    )
    activity = InstitutionalActivity.objects.get()
    assert activity.instance == "" and activity.lived_experience_count is None


def test_cross_training_needs_both_counts(world):
    url = reverse("institution:activity_create")
    kind = InstitutionalActivity.Kind.CROSS_TRAINING
    response = world.client("peer_a").post(url, activity_data(kind=kind, professionals_count="9"))
    assert "Pour une formation croisée, indiquez les deux effectifs." in text(response)
    assert not InstitutionalActivity.objects.exists()
    response = world.client("peer_a").post(
        url, activity_data(kind=kind, professionals_count="9", lived_experience_count="7")
    )
    assert response.status_code == 302
    activity = InstitutionalActivity.objects.get()
    assert (activity.lived_experience_count, activity.professionals_count) == (7, 9)
    detail = text(world.client("peer_a").get(activity_url(activity)))
    assert "Personnes concernées" in detail


def activity_url(activity, name="institution:activity_detail"):
    return reverse(name, args=[activity.pk])


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"audience_nurses": "-2"}, "Un effectif ne peut pas être négatif."),
        (
            {"duration_minutes": "0"},
            "La durée doit être comprise entre 1 minute et 12 heures (720 minutes).",
        ),
        (
            {"duration_minutes": "800"},
            "La durée doit être comprise entre 1 minute et 12 heures (720 minutes).",
        ),
        (
            {"date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
            "La date ne peut pas être dans le futur.",
        ),
        ({"date": "32/13/2025"}, "Saisissez une date valide."),
        ({"title": ""}, "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_refused_in_french(world, overrides, message):
    response = world.client("peer_a").post(
        reverse("institution:activity_create"), activity_data(**overrides)
    )
    assert response.status_code == 200
    body = text(response)
    assert message in body and "rien n'a été enregistré" in body
    assert not InstitutionalActivity.objects.exists()


def test_peer_sees_only_activities_they_took_part_in(world):
    mine = ActivityFactory(organisation=world.org_a, with_peers=[world.peer("peer_a")])
    other = ActivityFactory(organisation=world.org_a, title="Sans peer_a")
    response = world.client("peer_a").get(reverse("institution:activity_list"))
    body = text(response)
    assert mine.title in body and other.title not in body
    assert last_access("institution.institutionalactivity").object_ids == [mine.pk]
    assert world.client("peer_a").get(activity_url(other)).status_code == 404


def test_coordinator_and_director_see_the_organisation(world):
    mine = ActivityFactory(organisation=world.org_a, with_peers=[world.peer("peer_a")])
    other = ActivityFactory(organisation=world.org_a, title="Sans peer_a")
    foreign = ActivityFactory(organisation=world.org_b, title="Action de Bêta")
    for persona in ("coordinator_a", "director_a"):
        body = text(world.client(persona).get(reverse("institution:activity_list")))
        assert mine.title in body and other.title in body and foreign.title not in body
    director_detail = text(world.client("director_a").get(activity_url(other)))
    assert "Modifier" not in director_detail


def test_list_filters_by_kind(world):
    ActivityFactory(organisation=world.org_a, title="Cours IFSI", kind="enseignement")
    ActivityFactory(organisation=world.org_a, title="Réunion synthèse", kind="reunion_equipe")
    body = text(
        world.client("coordinator_a").get(
            reverse("institution:activity_list") + "?type=enseignement"
        )
    )
    assert "Cours IFSI" in body and "Réunion synthèse" not in body


def test_wrong_roles(world):
    activity = ActivityFactory(organisation=world.org_a, with_peers=[world.peer("peer_a")])
    assert (
        world.client("professional_a").get(reverse("institution:activity_list")).status_code == 403
    )
    assert (
        world.client("director_a")
        .post(activity_url(activity, "institution:activity_edit"), activity_data())
        .status_code
        == 403
    )
    assert world.client("regional_observer").get(activity_url(activity)).status_code == 403


def test_edit_and_other_organisation_404(world):
    activity = ActivityFactory(organisation=world.org_a, with_peers=[world.peer("peer_a")])
    url = activity_url(activity, "institution:activity_edit")
    assert world.client("coordinator_b").post(url, activity_data(title="Volée")).status_code == 404
    response = world.client("coordinator_a").post(
        url, activity_data(title="Titre corrigé", peers=[world.peer("peer_a").pk])
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Titre corrigé"
    assert last_access("institution.institutionalactivity").action == "update"


def test_detail_logs_the_view(world):
    activity = ActivityFactory(organisation=world.org_a, with_peers=[world.peer("peer_a")])
    response = world.client("peer_a").get(activity_url(activity))
    assert response.status_code == 200
    event = last_access("institution.institutionalactivity")
    assert (event.action, event.object_ids) == ("view", [activity.pk])


def test_edit_form_logs_the_view(world):
    """The edit form shows what the detail page shows: the same read, logged the same way."""
    activity = ActivityFactory(organisation=world.org_a, with_peers=[world.peer("peer_a")])
    response = world.client("coordinator_a").get(
        activity_url(activity, "institution:activity_edit")
    )
    assert response.status_code == 200
    assert activity.title in text(response)
    event = last_access("institution.institutionalactivity")
    assert (event.action, event.object_ids) == ("view", [activity.pk])
    assert event.user == world.user("coordinator_a")


def test_list_query_count_is_constant(world):
    peer = world.peer("peer_a")

    def add_rows(n):
        for _ in range(n):
            ActivityFactory(organisation=world.org_a, with_peers=[peer])

    assert_constant_queries(world.client("peer_a"), reverse("institution:activity_list"), add_rows)
