"""Factories of the evaluation tests (persons, consents and accompaniments included, since the
accompaniment app's factories live elsewhere)."""

import datetime

import factory

from entrepairs.accompaniment.models import Accompaniment, Consent, ConsentPurpose, Person
from entrepairs.evaluation.models import Campaign, Invitation, PersonSpaceLink
from entrepairs.evaluation.publishing import load_builtin_instruments


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    alias = factory.Sequence(lambda n: f"Personne {n}")
    birth_year = 1985


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = ConsentPurpose.EVALUATION
    given = True
    means = Consent.Means.WRITTEN


class AccompanimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accompaniment

    person = factory.SubFactory(PersonFactory)
    setting = Accompaniment.Setting.CMP
    start = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))


def builtin(code):
    versions = {v.instrument.code: v for v, _ in load_builtin_instruments()}
    return versions[code]


def consenting_person(world, org_key="a", *, consent=True, start=None, end=None, alias=None):
    """A person of org a/b accompanied by that org's peer, in its facility, with consents."""
    org = world.org(org_key)
    person = PersonFactory(organisation=org, **({"alias": alias} if alias else {}))
    for purpose in (ConsentPurpose.RECORD, ConsentPurpose.TEAM_SHARING):
        ConsentFactory(person=person, purpose=purpose)
    if consent:
        ConsentFactory(person=person, purpose=ConsentPurpose.EVALUATION)
    accompaniment = AccompanimentFactory(
        person=person,
        facility=world.facility(org_key),
        start=start or datetime.date.today() - datetime.timedelta(days=10),
        end=end,
    )
    accompaniment.peers.add(world.peer(f"peer_{org_key}"))
    return person


def campaign(
    world, org_key="a", code="satisfaction-personnes", mode=Campaign.Mode.ANONYMOUS, **fields
):
    version = builtin(code)
    defaults = {
        "title": f"Campagne {code}",
        "timepoints": ["start", "end"] if version.audience == "person" else ["once"],
        "opens_on": datetime.date.today() - datetime.timedelta(days=30),
    }
    defaults.update(fields)
    return Campaign.objects.create(
        organisation=world.org(org_key),
        instrument_version=version,
        audience=version.audience,
        mode=mode,
        **defaults,
    )


def invitation(
    world, org_key="a", *, linked=False, code="satisfaction-personnes", person=None, **fields
):
    """(invitation, token) of a fresh campaign."""
    if linked:
        person = person or consenting_person(world, org_key)
        c = campaign(world, org_key, code=code, mode=Campaign.Mode.LINKED)
        return Invitation.issue(
            c,
            person=person,
            accompaniment=person.accompaniments.first(),
            facility=world.facility(org_key),
            timepoint="start",
            **fields,
        )
    c = campaign(world, org_key, code=code)
    return Invitation.issue(c, facility=world.facility(org_key), timepoint="once", **fields)


def space_token(world, org_key="a", person=None):
    person = person or consenting_person(world, org_key)
    return PersonSpaceLink.issue(person)[1]
