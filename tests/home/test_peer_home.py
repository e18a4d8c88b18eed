"""The peer's home: persons seen recently, one-tap encounter, the week's groups, supervision due,
what came from the person space."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Consent, ConsentPurpose
from entrepairs.core.models import AccessEvent, Action
from entrepairs.home.supervision import DEFAULT_SUPERVISION_DAYS, supervision_status
from entrepairs.prevention.models import PreventionPlan, Recipient, RecipientKind, SignatureMeans
from entrepairs.prevention.operations import add_recipient, open_draft, save_draft, sign
from entrepairs.workforce.models import PeerWorker
from entrepairs.workforce.models.practice import with_supervision_status
from tests.accompaniment.factories import make_encounter, make_person
from tests.evaluation.factories import invitation
from tests.groups.factories import GroupFactory, GroupSessionFactory
from tests.prevention.factories import SECTIONS, draft_data
from tests.workforce.factories import MissionCharterFactory, SupervisionSessionFactory, sign_fully

HOME = reverse("home:home")
TODAY = timezone.localdate()


def home(world, persona="peer_a"):
    response = world.client(persona).get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def note_url(person):
    return reverse("accompaniment:encounter_create", args=[person.pk])


def recent_block(html):
    match = re.search(r'id="recent-person-list".*?</ul>', html, re.S)
    return match.group(0) if match else ""


def test_persons_seen_recently_last_met_first_and_only_mine(world):
    old = make_person(world, "a", alias="Ancienne")
    recent = make_person(world, "a", alias="Récente")
    make_encounter(old, date=TODAY - datetime.timedelta(days=20))
    make_encounter(recent, date=TODAY - datetime.timedelta(days=1))
    not_mine = make_person(world, "a", alias="Pas à moi")
    not_mine.accompaniments.first().peers.clear()
    make_person(world, "b", alias="Récente")  # same pseudonym in the other organisation
    block = recent_block(home(world))
    assert block.index("Récente") < block.index("Ancienne")
    assert "Pas à moi" not in block
    assert block.count("Récente") == 2  # the name and the hidden "avec Récente" of its button
    assert f'href="{note_url(recent)}"' in block


def test_the_home_logs_the_persons_it_names(world):
    person = make_person(world, "a", alias="Journalisée")
    home(world)
    event = AccessEvent.objects.filter(action=Action.LIST).latest("pk")
    assert event.object_type == "accompaniment.person" and person.pk in event.object_ids


def test_note_an_encounter_in_one_tap_only_where_the_form_accepts_it(world):
    open_ = make_person(world, "a", alias="Ouverte")
    closed = make_person(world, "a", alias="Close")
    accompaniment = closed.accompaniments.first()
    accompaniment.end = TODAY - datetime.timedelta(days=3)
    accompaniment.save()
    frozen = make_person(world, "a", alias="Figée")
    Consent.decide(frozen, ConsentPurpose.RECORD, False, Consent.Means.ORAL)
    html = home(world)
    assert f'href="{note_url(open_)}"' in html
    assert f'href="{note_url(closed)}"' not in html
    assert f'href="{note_url(frozen)}"' not in html
    assert "accompagnement clos" in html and "dossier figé" in html
    # The one tap lands on the encounter form, ready to fill in.
    page = world.client("peer_a").get(note_url(open_))
    assert page.status_code == 200 and b'name="duration_minutes"' in page.content


def test_the_weeks_groups(world):
    peer = world.peer("peer_a")
    noted = GroupFactory(organisation=world.org_a, name="Groupe noté", peers=[peer])
    GroupSessionFactory(group=noted, date=TODAY)
    to_note = GroupFactory(
        organisation=world.org_a, name="Groupe à noter", peers=[peer], usual_schedule="le mardi"
    )
    GroupSessionFactory(group=to_note, date=TODAY - datetime.timedelta(days=8))
    GroupFactory(organisation=world.org_a, name="Groupe en pause", peers=[peer], is_active=False)
    GroupFactory(organisation=world.org_a, name="Groupe d'un autre")
    GroupFactory(organisation=world.org_b, name="Groupe noté", peers=[world.peer("peer_b")])
    html = home(world)
    assert "Groupe à noter" in html and "le mardi" in html
    assert html.count("Groupe noté") == 1 and "séance notée le" in html
    assert f'href="{reverse("groups:session_create", args=[to_note.pk])}"' in html
    assert f'href="{reverse("groups:session_create", args=[noted.pk])}"' not in html
    assert "Groupe en pause" not in html and "Groupe d'un autre" not in html


def _status(peer):
    return supervision_status(with_supervision_status(PeerWorker.objects.filter(pk=peer.pk)).get())


def test_supervision_rule_default_ninety_days(world):
    peer = world.peer("peer_a")
    SupervisionSessionFactory(
        organisation=world.org_a, date=TODAY - datetime.timedelta(days=91), participants=[peer]
    )
    status = _status(peer)
    assert status.interval_days == DEFAULT_SUPERVISION_DAYS and not status.from_charter
    assert status.is_overdue(TODAY)
    assert "En retard" in home(world)
    SupervisionSessionFactory(
        organisation=world.org_a, date=TODAY - datetime.timedelta(days=89), participants=[peer]
    )
    assert not _status(peer).is_overdue(TODAY)
    assert "En retard" not in home(world)


def test_supervision_rule_follows_the_signed_charter(world):
    peer = world.peer("peer_a")
    sign_fully(MissionCharterFactory(peer=peer, supervision_every_weeks=4))
    SupervisionSessionFactory(
        organisation=world.org_a, date=TODAY - datetime.timedelta(days=29), participants=[peer]
    )
    status = _status(peer)
    assert status.from_charter and status.interval_days == 28 and status.is_overdue(TODAY)
    html = home(world)
    assert "En retard" in html and "fiche de mission" in html


def test_supervision_never_held_counts_from_the_record(world):
    peer = world.peer("peer_a")
    PeerWorker.objects.filter(pk=peer.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=100)
    )
    assert _status(peer).is_overdue(TODAY)
    assert "Aucune séance enregistrée pour vous" in home(world)


def test_a_peer_who_left_has_no_supervision_due(world):
    peer = world.peer("peer_a")
    peer.status = PeerWorker.Status.LEFT
    peer.save()
    assert _status(peer) is None


def _plan(person):
    plan = PreventionPlan.start_for(person)
    draft = open_draft(plan)
    save_draft(draft, draft_data(draft, **SECTIONS))
    return plan, draft


def test_what_came_from_the_person_space(world):
    withdrew = make_person(world, "a", alias="Retrait")
    Consent.decide(withdrew, ConsentPurpose.EVALUATION, False, Consent.Means.PERSON_SPACE)
    oral = make_person(world, "a", alias="Oral")
    Consent.decide(oral, ConsentPurpose.EVALUATION, False, Consent.Means.ORAL)
    signer = make_person(world, "a", alias="Signataire")
    plan, draft = _plan(signer)
    sign(draft, draft.revision, SignatureMeans.PERSON_SPACE)
    wisher = make_person(world, "a", alias="Souhait")
    plan2, draft2 = _plan(wisher)
    sign(draft2, draft2.revision, SignatureMeans.IN_PERSON)
    PreventionPlan.objects.filter(pk=plan2.pk).update(person_notes_at=timezone.now())
    recipient, _token = add_recipient(plan2, RecipientKind.PSYCHIATRIST, "Dr X", "oral")
    recipient.withdraw(Recipient.ConsentMeans.PERSON_SPACE)
    awaiting = make_person(world, "a", alias="Attente")
    invitation(world, "a", linked=True, person=awaiting)
    other = make_person(world, "b", alias="Retrait")
    Consent.decide(other, ConsentPurpose.EVALUATION, False, Consent.Means.PERSON_SPACE)
    html = home(world)
    section = unescape(html.split('id="person-space"')[1])
    assert "Retrait</span> a retiré son accord : participation à l'évaluation" in section
    assert section.count("a retiré son accord") == 1  # not org B's, not the oral one
    assert "Oral</span>" not in section
    assert "Signataire</span> a signé son plan de prévention" in section
    assert "Souhait</span> a noté ce qu'elle ou il veut changer" in section
    assert "Souhait</span> ne partage plus son plan" in section
    assert "Souhait</span> a signé" not in section  # signed in person, not from the space
    assert "n'a pas encore répondu" in section and "Attente" in section
    plan_url = reverse("prevention:plan", args=[signer.pk])
    assert f'href="{plan_url}"' in section
    assert world.client("peer_a").get(plan_url).status_code == 200


def test_old_person_space_events_leave_the_home(world):
    person = make_person(world, "a", alias="Ancien retrait")
    consent = Consent.decide(person, ConsentPurpose.CONTACT, False, Consent.Means.PERSON_SPACE)
    Consent.objects.filter(pk=consent.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert "Ancien retrait</span> a retiré" not in home(world)


def test_empty_home_says_what_to_do_next(world):
    html = home(world)
    assert "Vous n'accompagnez encore personne." in html
    assert reverse("accompaniment:person_create") in html
    assert "Rien de nouveau depuis l'espace des personnes." in html


def _queries(world):
    with CaptureQueriesContext(connection) as ctx:
        home(world)
    return len(ctx)


def _grow(world, n, start):
    peer = world.peer("peer_a")
    for i in range(start, start + n):
        person = make_person(world, "a", alias=f"Personne {i}")
        make_encounter(person, date=TODAY - datetime.timedelta(days=i % 20))
        Consent.decide(person, ConsentPurpose.CONTACT, False, Consent.Means.PERSON_SPACE)
        group = GroupFactory(organisation=world.org_a, peers=[peer])
        GroupSessionFactory(group=group, date=TODAY)
        SupervisionSessionFactory(organisation=world.org_a, participants=[peer])
        invitation(world, "a", linked=True, person=person)


@pytest.mark.parametrize("sizes", [(2, 15)])
def test_query_count_does_not_grow_with_the_data(world, sizes):
    small, large = sizes
    _grow(world, small, 0)
    home(world)
    before = _queries(world)
    _grow(world, large, small)
    assert _queries(world) == before
