"""Factories and helpers for accompaniment tests."""

import datetime
import html

import factory
from django.utils import timezone

from entrepairs.accompaniment.models import (
    Accompaniment,
    Consent,
    ConsentPurpose,
    Encounter,
    Person,
    RecoveryPlan,
    Referral,
    Resource,
)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    alias = factory.Sequence(lambda n: f"Alex {n}")
    birth_year = 1985
    last_activity_on = factory.LazyFunction(timezone.localdate)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = ConsentPurpose.RECORD
    given = True
    means = Consent.Means.ORAL


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    name = factory.Sequence(lambda n: f"GEM n°{n}")
    kind = Resource.Kind.GEM


def make_person(
    world, org_key="a", *, team_sharing=True, evaluation=True, contact=False, start=None, **fields
):
    """A person of org ``a``/``b`` accompanied by peer_a/peer_b in facility_a/b, with consents."""
    org = world.org(org_key)
    peer = world.peer(f"peer_{org_key}")
    person = PersonFactory(organisation=org, **fields)
    start = start or timezone.localdate() - datetime.timedelta(days=60)
    accompaniment = Accompaniment.objects.create(
        person=person,
        facility=world.facility(org_key),
        setting=Accompaniment.Setting.CMP,
        start=start,
    )
    accompaniment.peers.add(peer)
    for purpose, given in (
        (ConsentPurpose.RECORD, True),
        (ConsentPurpose.TEAM_SHARING, team_sharing),
        (ConsentPurpose.EVALUATION, evaluation),
        (ConsentPurpose.CONTACT, contact),
    ):
        ConsentFactory(person=person, purpose=purpose, given=given)
    return person


def make_encounter(person, *, note="", visibility=Encounter.NoteVisibility.PRIVATE, **fields):
    accompaniment = person.accompaniments.first()
    values = {
        "date": timezone.localdate() - datetime.timedelta(days=2),
        "duration_minutes": 45,
        "mode": Encounter.Mode.IN_PERSON,
        "kinds": [Encounter.Kind.SUPPORT],
    }
    values.update(fields)
    return Encounter.objects.create(
        accompaniment=accompaniment,
        peer=fields.pop("peer", None) or accompaniment.peers.first(),
        note=note,
        note_visibility=visibility,
        **{k: v for k, v in values.items() if k != "peer"},
    )


def make_plan(person):
    return RecoveryPlan.start_for(person)


def make_referral(person, resource=None):
    resource = resource or ResourceFactory(organisation=person.organisation)
    return Referral.objects.create(person=person, resource=resource, date=timezone.localdate())


def body(response) -> str:
    """The response's HTML with entities decoded (Django escapes apostrophes)."""
    return html.unescape(response.content.decode())
