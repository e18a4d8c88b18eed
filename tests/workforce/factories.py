"""Factories of the workforce app (contracts, trainings, charters, practice)."""

import datetime

import factory
from django.db.models import Max
from django.utils import timezone

from entrepairs.core.roles import Role
from entrepairs.workforce.models import (
    Assessment,
    CodeOfConduct,
    Competency,
    CompetencyFramework,
    Contract,
    EthicsJournalEntry,
    Mentoring,
    MentoringMeeting,
    MissionCharter,
    SupervisionSession,
    Training,
)
from tests.factories import MembershipFactory, PeerWorkerFactory, UserFactory


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    peer = factory.SubFactory(PeerWorkerFactory)
    kind = Contract.Kind.CDI
    employer = factory.SelfAttribute("peer.employer")
    start = datetime.date(2024, 1, 1)
    end = None
    fte = "0.80"
    funding = Contract.Funding.ESTABLISHMENT

    class Params:
        ending_soon = factory.Trait(
            kind=Contract.Kind.CDD,
            start=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=300)),
            end=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30)),
        )


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    peer = factory.SubFactory(PeerWorkerFactory)
    kind = Training.Kind.DU
    title = "DU pair-aidance en santé mentale"
    provider = "Université de Lille"
    start = datetime.date(2024, 9, 1)
    status = Training.Status.IN_PROGRESS


def team_lead_for(facility):
    """An active professional membership of ``facility`` (the charter's team lead)."""
    return MembershipFactory(
        user=UserFactory(),
        organisation=facility.organisation,
        role=Role.PROFESSIONAL,
        facilities=[facility],
    )


class MissionCharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionCharter

    peer = factory.SubFactory(PeerWorkerFactory)
    facility = factory.LazyAttribute(lambda o: o.peer.deployments.first().facility)
    version = factory.LazyAttribute(
        lambda o: (
            1
            + (
                MissionCharter.objects.filter(peer=o.peer, facility=o.facility).aggregate(
                    v=Max("version")
                )["v"]
                or 0
            )
        )
    )
    share_individual = 50
    share_groups = 30
    share_institutional = 20
    tasks_in_scope = "Accueil et soutien individuel ; co-animation du groupe d'entraide."
    shared_with_team = "Les rendez-vous pris et les orientations, avec l'accord de la personne."
    stays_private = "Ce que la personne confie sur son histoire."
    team_lead = factory.LazyAttribute(lambda o: team_lead_for(o.facility))
    supervision_every_weeks = 6
    created_by = factory.SubFactory(UserFactory)


def sign_fully(charter, world=None, coordinator=None):
    """Sign ``charter`` as peer, team lead and coordinator, in turn."""
    peer_membership = charter.peer.user.memberships.get(role=Role.PEER)
    charter.sign(peer_membership)
    charter.sign(charter.team_lead)
    coordinator = coordinator or MembershipFactory(
        organisation=charter.peer.employer, role=Role.COORDINATOR
    )
    charter.sign(coordinator)
    charter.refresh_from_db()
    return charter


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSession
        skip_postgeneration_save = True

    organisation = factory.SubFactory("tests.factories.OrganisationFactory")
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    kind = SupervisionSession.Kind.GROUP
    duration_minutes = 90

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)


class JournalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EthicsJournalEntry

    peer = factory.SubFactory(PeerWorkerFactory)
    situation = "Une personne me demande mon numéro personnel."
    question = "Jusqu'où aller dans la disponibilité ?"
    what_helped = "En parler avec ma référente."


class MentoringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentoring

    organisation = factory.SelfAttribute("mentor.organisation")
    mentor = factory.SubFactory(MembershipFactory, role=Role.PROFESSIONAL)
    mentee = factory.SubFactory(
        MembershipFactory,
        role=Role.PEER,
        organisation=factory.SelfAttribute("..mentor.organisation"),
    )
    goals = "Découvrir le travail de l'autre."
    start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))


class MentoringMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringMeeting

    mentoring = factory.SubFactory(MentoringFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    duration_minutes = 60
    topics = "Présentation du rôle"


def default_framework():
    return CompetencyFramework.objects.get(
        organisation__isnull=True, slug="entrepairs-pair-aidance"
    )


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    peer = factory.SubFactory(PeerWorkerFactory)
    competency = factory.LazyFunction(
        lambda: Competency.objects.filter(domain__framework=default_framework()).first()
    )
    assessor = Assessment.Assessor.SELF
    assessed_by = factory.SubFactory(UserFactory)
    level = 2


class CodeOfConductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodeOfConduct

    organisation = factory.SubFactory("tests.factories.OrganisationFactory")
    version = factory.Sequence(lambda n: n + 1)
    title = "Code de déontologie de l'établissement"
    text = "1. Confidentialité…"
