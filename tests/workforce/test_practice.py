import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.workforce.models import (
    CodeOfConduct,
    ConductAcknowledgement,
    EthicsJournalEntry,
    Mentoring,
    MentoringMeeting,
    MissionCharter,
    PeerWorker,
    SupervisionSession,
)
from entrepairs.workforce.models.practice import (
    supervision_overdue_since,
    with_supervision_status,
)
from tests.factories import PeerWorkerFactory
from tests.utils import assert_constant_queries, last_access

from .factories import (
    CodeOfConductFactory,
    JournalEntryFactory,
    MentoringFactory,
    MissionCharterFactory,
    SupervisionSessionFactory,
    sign_fully,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


# Code of conduct ------------------------------------------------------------------------------
def test_acknowledge_then_a_new_version_asks_again(world):
    peer = world.client("peer_a")
    code = CodeOfConduct.current_for(world.org_a.pk)
    assert code.organisation is None  # the platform default
    assert CodeOfConduct.needs_acknowledgement(world.membership("peer_a"))
    dossier = reverse("workforce:peer_detail", kwargs={"pk": world.peer("peer_a").pk})
    assert "nouvelle version du code de déontologie" in peer.get(dossier).content.decode()
    peer.post(reverse("workforce:conduct_acknowledge"), {"code": code.pk})
    assert ConductAcknowledgement.objects.filter(membership=world.membership("peer_a")).count() == 1
    assert not CodeOfConduct.needs_acknowledgement(world.membership("peer_a"))
    assert last_access("workforce.conductacknowledgement").action == "create"

    response = world.client("coordinator_a").post(
        reverse("workforce:conduct_new_version"),
        {"title": "Code de l'EPSM", "text": "1. Confidentialité. 2. Limites."},
    )
    assert response.status_code == 302
    assert CodeOfConduct.current_for(world.org_a.pk).organisation == world.org_a
    assert CodeOfConduct.needs_acknowledgement(world.membership("peer_a"))
    assert CodeOfConduct.current_for(world.org_b.pk) == code  # other org: unchanged
    # Acknowledging a stale version is refused.
    peer.post(reverse("workforce:conduct_acknowledge"), {"code": code.pk})
    assert CodeOfConduct.needs_acknowledgement(world.membership("peer_a"))


def test_conduct_bad_input_and_roles(world):
    response = world.client("coordinator_a").post(
        reverse("workforce:conduct_new_version"), {"title": "", "text": ""}
    )
    assert response.status_code == 200 and 'id="form-errors"' in response.content.decode()
    assert not CodeOfConduct.objects.filter(organisation=world.org_a).exists()
    assert (
        world.client("director_a")
        .post(reverse("workforce:conduct_new_version"), {"title": "x", "text": "y"})
        .status_code
        == 403
    )


def test_acknowledgement_list_constant_queries(world):
    from tests.factories import MembershipFactory

    code = CodeOfConductFactory(organisation=world.org_a)

    def add(n):
        for i in range(n):
            m = MembershipFactory(organisation=world.org_a, role="professional")
            if i % 2:
                ConductAcknowledgement.objects.create(code=code, membership=m)

    assert_constant_queries(
        world.client("director_a"), reverse("workforce:conduct_acknowledgements"), add
    )


# Ethics journal -------------------------------------------------------------------------------
def test_journal_entry_is_private_until_brought_to_supervision(world):
    client = world.client("peer_a")
    response = client.post(
        reverse("workforce:journal_create"),
        {
            "date": "2025-02-01",
            "situation": "Une demande d'argent.",
            "question": "Que répondre ?",
            "what_helped": "",
            "brought_to": "",
        },
    )
    entry = EthicsJournalEntry.objects.get()
    assert response["Location"] == reverse("workforce:journal_detail", kwargs={"pk": entry.pk})
    detail = reverse("workforce:journal_detail", kwargs={"pk": entry.pk})
    for persona in ("coordinator_a", "director_a", "professional_a"):
        assert world.client(persona).get(detail).status_code == 404

    session = SupervisionSessionFactory(
        organisation=world.org_a, participants=[world.peer("peer_a")]
    )
    session.staff_participants.add(world.membership("professional_a"))
    client.post(
        reverse("workforce:journal_update", kwargs={"pk": entry.pk}),
        {
            "date": "2025-02-01",
            "situation": "Une demande d'argent.",
            "question": "Que répondre ?",
            "what_helped": "",
            "brought_to": session.pk,
        },
    )
    entry.refresh_from_db()
    assert entry.brought_to == session
    assert world.client("professional_a").get(detail).status_code == 200  # a participant
    # The coordinator sees the session but not the entry: not a participant.
    session_url = reverse("workforce:supervision_detail", kwargs={"pk": session.pk})
    response = world.client("coordinator_a").get(session_url)
    assert response.status_code == 200 and list(response.context["entries"]) == []
    assert world.client("coordinator_a").get(detail).status_code == 404
    response = world.client("professional_a").get(session_url)
    assert list(response.context["entries"]) == [entry]


def test_journal_cannot_be_brought_to_a_session_without_the_peer(world):
    session = SupervisionSessionFactory(organisation=world.org_a)  # peer_a not a participant
    response = world.client("peer_a").post(
        reverse("workforce:journal_create"),
        {"date": "2025-02-01", "situation": "s", "question": "q", "brought_to": session.pk},
    )
    assert response.status_code == 200 and 'id="form-errors"' in response.content.decode()
    assert not EthicsJournalEntry.objects.exists()


def test_journal_list_shows_only_own_entries(world):
    own = JournalEntryFactory(peer=world.peer("peer_a"))
    JournalEntryFactory(peer=PeerWorkerFactory(employer=world.org_a))
    response = world.client("peer_a").get(reverse("workforce:journal_list"))
    assert list(response.context["page"]) == [own]


# Supervision ----------------------------------------------------------------------------------
def annotated(peer):
    return with_supervision_status(PeerWorker.objects.filter(pk=peer.pk)).get()


def test_supervision_overdue_follows_the_charter_frequency(world):
    peer = world.peer("peer_a")
    assert supervision_overdue_since(annotated(peer)) is None  # no signed charter: no rule
    charter = sign_fully(
        MissionCharterFactory(peer=peer, supervision_every_weeks=4),
        coordinator=world.membership("coordinator_a"),
    )
    MissionCharter.objects.filter(pk=charter.pk)  # signed just now: not overdue yet
    assert supervision_overdue_since(annotated(peer)) is None
    SupervisionSessionFactory(
        organisation=world.org_a, participants=[peer], date=TODAY - datetime.timedelta(weeks=5)
    )
    due = supervision_overdue_since(annotated(peer))
    assert due == TODAY - datetime.timedelta(weeks=1)
    dossier = world.client("peer_a").get(reverse("workforce:peer_detail", kwargs={"pk": peer.pk}))
    assert 'id="supervision-overdue"' in dossier.content.decode()
    dashboard = world.client("coordinator_a").get(reverse("workforce:dashboard"))
    assert [p.pk for p, _due in dashboard.context["overdue"]] == [peer.pk]

    SupervisionSessionFactory(
        organisation=world.org_a, participants=[peer], date=TODAY - datetime.timedelta(days=3)
    )
    assert supervision_overdue_since(annotated(peer)) is None


def test_coordinator_records_a_session(world):
    response = world.client("coordinator_a").post(
        reverse("workforce:supervision_create"),
        {
            "date": "2025-03-01",
            "kind": "groupe",
            "duration_minutes": "120",
            "facilitator": "Psychologue",
            "participants": [world.peer("peer_a").pk],
            "staff_participants": [world.membership("professional_a").pk],
        },
    )
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert list(session.participants.all()) == [world.peer("peer_a")]
    assert list(session.staff_participants.all()) == [world.membership("professional_a")]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"duration_minutes": "5"}, "entre 15 minutes et 8 heures (480 minutes)"),
        ({"date": "2999-01-01"}, "Une séance future ne peut pas être enregistrée."),
        ({"participants": []}, "Ce champ est obligatoire."),
    ],
)
def test_session_bad_input(world, overrides, message):
    data = {
        "date": "2025-03-01",
        "kind": "groupe",
        "duration_minutes": "60",
        "participants": [world.peer("peer_a").pk],
    }
    data.update(overrides)
    response = world.client("coordinator_a").post(reverse("workforce:supervision_create"), data)
    assert message in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_session_participants_of_another_organisation_are_refused(world):
    response = world.client("coordinator_a").post(
        reverse("workforce:supervision_create"),
        {
            "date": "2025-03-01",
            "kind": "groupe",
            "duration_minutes": "60",
            "participants": [world.peer("peer_b").pk],
        },
    )
    assert response.status_code == 200
    assert not SupervisionSession.objects.exists()


def test_supervision_list_constant_queries(world):
    def add(n):
        for _ in range(n):
            SupervisionSessionFactory(organisation=world.org_a, participants=[world.peer("peer_a")])

    assert_constant_queries(world.client("peer_a"), reverse("workforce:supervision_list"), add)


# Mentoring ------------------------------------------------------------------------------------
def test_coordinator_pairs_a_professional_and_a_peer(world):
    response = world.client("coordinator_a").post(
        reverse("workforce:mentoring_create"),
        {
            "mentor": world.membership("peer_a").pk,
            "mentee": world.membership("professional_a").pk,
            "goals": "Faire découvrir le savoir expérientiel.",
            "start": "2025-01-01",
            "end": "",
        },
    )
    assert response.status_code == 302
    mentoring = Mentoring.objects.get()
    assert mentoring.direction == "pair → professionnel·le"
    assert mentoring.is_active


@pytest.mark.parametrize(
    "mentor, mentee, extra, message",
    [
        ("peer_a", "peer_a", {}, "deux personnes différentes"),
        ("professional_a", "coordinator_a", {}, "Choisissez une personne de votre organisation"),
        ("peer_a", "peer_b", {}, "Choisissez une personne de votre organisation"),
        ("peer_a", "professional_a", {"end": "2024-01-01"}, "La date de fin ne peut pas précéder"),
    ],
)
def test_mentoring_bad_input(world, mentor, mentee, extra, message):
    data = {
        "mentor": world.membership(mentor).pk,
        "mentee": world.membership(mentee).pk,
        "goals": "g",
        "start": "2025-01-01",
        "end": "",
    }
    data.update(extra)
    response = world.client("coordinator_a").post(reverse("workforce:mentoring_create"), data)
    assert message in response.content.decode()
    assert not Mentoring.objects.exists()


def test_mentee_logs_a_meeting_within_the_period(world):
    mentoring = MentoringFactory(
        mentor=world.membership("professional_a"), mentee=world.membership("peer_a")
    )
    url = reverse("workforce:mentoring_meeting_create", kwargs={"pk": mentoring.pk})
    bad = world.client("peer_a").post(
        url, {"date": "2000-01-01", "duration_minutes": "60", "topics": "Rôles"}
    )
    assert "période du mentorat" in bad.content.decode()
    assert not MentoringMeeting.objects.exists()
    ok = world.client("peer_a").post(
        url, {"date": TODAY.isoformat(), "duration_minutes": "60", "topics": "Rôles"}
    )
    assert ok.status_code == 302
    assert mentoring.meetings.count() == 1
    assert world.client("director_a").post(url, {}).status_code == 403
    assert world.client("coordinator_b").post(url, {}).status_code == 404


def test_mentoring_visible_to_its_two_people(world):
    mentoring = MentoringFactory(
        mentor=world.membership("professional_a"), mentee=world.membership("peer_a")
    )
    other = MentoringFactory(mentor__organisation=world.org_a)
    response = world.client("professional_a").get(reverse("workforce:mentoring_list"))
    assert list(response.context["page"]) == [mentoring]
    assert (
        world.client("professional_a")
        .get(reverse("workforce:mentoring_detail", kwargs={"pk": other.pk}))
        .status_code
        == 404
    )


def test_mentoring_list_constant_queries(world):
    def add(n):
        for _ in range(n):
            MentoringFactory(mentor__organisation=world.org_a)

    assert_constant_queries(world.client("coordinator_a"), reverse("workforce:mentoring_list"), add)
