import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Referral, Resource
from tests.utils import last_access

from .factories import ResourceFactory, body, make_person

pytestmark = pytest.mark.django_db


def test_directory_lists_own_organisation_resources(world):
    ResourceFactory(organisation=world.org_a, name="GEM Les Ailes")
    ResourceFactory(organisation=world.org_b, name="Club-house Bêta")
    page = body(world.client("professional_a").get(reverse("accompaniment:resource_list")))
    assert "GEM Les Ailes" in page and "Club-house Bêta" not in page


def test_filter_by_type(world):
    ResourceFactory(organisation=world.org_a, name="GEM Les Ailes", kind="gem")
    ResourceFactory(organisation=world.org_a, name="CCAS de Lille", kind="social_service")
    page = body(world.client("peer_a").get(reverse("accompaniment:resource_list"), {"type": "gem"}))
    assert "GEM Les Ailes" in page and "CCAS de Lille" not in page


def test_create_resource(world):
    response = world.client("coordinator_a").post(
        reverse("accompaniment:resource_create"),
        {"name": "Mission locale", "kind": "employment", "commune": "Lille", "contact": "03 20"},
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.organisation == world.org_a and resource.commune == world.commune_a


def test_create_resource_bad_input(world):
    response = world.client("peer_a").post(
        reverse("accompaniment:resource_create"), {"name": "", "kind": "gem"}
    )
    assert "Ce champ est obligatoire" in body(response)
    assert not Resource.objects.exists()


def test_professional_cannot_create_resource(world):
    response = world.client("professional_a").post(
        reverse("accompaniment:resource_create"), {"name": "X", "kind": "gem"}
    )
    assert response.status_code == 403


def test_refer_a_person(world):
    person = make_person(world)
    resource = ResourceFactory(organisation=world.org_a)
    response = world.client("peer_a").post(
        reverse("accompaniment:referral_create", args=[person.pk]),
        {"resource": resource.pk, "date": timezone.localdate().isoformat(), "outcome": "proposed"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.person == person and referral.created_by == world.user("peer_a")
    assert last_access("accompaniment.referral").action == "create"
    page = body(
        world.client("peer_a").get(reverse("accompaniment:person_detail", args=[person.pk]))
    )
    assert resource.name in page


@pytest.mark.parametrize("future", [True, False])
def test_referral_bad_input(world, future):
    person = make_person(world)
    foreign = ResourceFactory(organisation=world.org_b)
    resource = ResourceFactory(organisation=world.org_a)
    data = {
        "resource": resource.pk if future else foreign.pk,
        "date": (timezone.localdate() + datetime.timedelta(days=2 if future else 0)).isoformat(),
        "outcome": "proposed",
    }
    response = world.client("peer_a").post(
        reverse("accompaniment:referral_create", args=[person.pk]), data
    )
    assert response.status_code == 200
    expected = (
        "La date ne peut pas être dans le futur." if future else "Sélectionnez un choix valide"
    )
    assert expected in body(response)
    assert not Referral.objects.exists()


def test_update_referral_outcome(world):
    person = make_person(world)
    resource = ResourceFactory(organisation=world.org_a)
    referral = Referral.objects.create(person=person, resource=resource, date=timezone.localdate())
    response = world.client("coordinator_a").post(
        reverse("accompaniment:referral_update", args=[referral.pk]),
        {"resource": resource.pk, "date": referral.date.isoformat(), "outcome": "succeeded"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "succeeded"


def test_other_organisation_resource_404(world):
    resource = ResourceFactory(organisation=world.org_a)
    url = reverse("accompaniment:resource_update", args=[resource.pk])
    assert world.client("coordinator_b").get(url).status_code == 404


def test_directory_constant_queries(world):
    from tests.utils import assert_constant_queries

    assert_constant_queries(
        world.client("peer_a"),
        reverse("accompaniment:resource_list"),
        lambda n: [
            ResourceFactory(organisation=world.org_a, commune=world.commune_a) for _ in range(n)
        ],
    )


@pytest.mark.parametrize(
    "name",
    [
        "encounter_create",
        "accompaniment_create",
        "referral_create",
        "consent_record",
        "person_update",
        "recovery_plan",
    ],
)
def test_every_form_about_a_person_logs_the_view(world, name):
    person = make_person(world)
    response = world.client("peer_a").get(reverse(f"accompaniment:{name}", args=[person.pk]))
    assert response.status_code == 200
    event = last_access("accompaniment.person")
    assert event.action == "view" and event.object_ids == [person.pk]
