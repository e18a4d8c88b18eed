import datetime

import factory
from django.utils import timezone

from entrepairs.accompaniment.models import (
    Accompaniment,
    Consent,
    ConsentPurpose,
    Person,
)
from entrepairs.groups.models import Group, GroupSession
from tests.factories import OrganisationFactory


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Groupe entraide n°{n}")
    kind = Group.Kind.MUTUAL_AID
    community_place = "Maison de quartier"

    @factory.post_generation
    def peers(self, create, extracted, **kwargs):
        if create and extracted:
            self.peer_facilitators.set(extracted)

    @factory.post_generation
    def professionals(self, create, extracted, **kwargs):
        if create and extracted:
            self.professional_facilitators.set(extracted)


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession
        skip_postgeneration_save = True

    group = factory.SubFactory(GroupFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    duration_minutes = 120
    headcount = 6

    @factory.post_generation
    def peers(self, create, extracted, **kwargs):
        if create and extracted:
            self.peers_present.set(extracted)

    @factory.post_generation
    def named(self, create, extracted, **kwargs):
        if create and extracted:
            self.attendees.set(extracted)


def accompanied_person(world, persona="peer_a", alias="Lou", consents=(ConsentPurpose.RECORD,)):
    """A person accompanied by ``persona``'s PeerWorker, with the given consents in force."""
    peer = world.peer(persona)
    facility = world.facility(persona[-1])
    person = Person.objects.create(organisation=facility.organisation, alias=alias, birth_year=1985)
    accompaniment = Accompaniment.objects.create(
        person=person,
        facility=facility,
        setting=Accompaniment.Setting.CMP,
        start=timezone.localdate() - datetime.timedelta(days=100),
    )
    accompaniment.peers.add(peer)
    for purpose in consents:
        Consent.objects.create(person=person, purpose=purpose, given=True, means="oral")
    return person
