"""Correcting and deleting a group session: who may, the checks of the quick form, the audit."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Consent, ConsentPurpose
from entrepairs.core.models import AccessEvent
from entrepairs.groups.models import GroupSession
from tests.utils import assert_constant_queries, last_access

from .factories import GroupFactory, GroupSessionFactory, accompanied_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
LAST_WEEK = TODAY() - datetime.timedelta(days=7)


@pytest.fixture
def group_a(world):
    group = GroupFactory(organisation=world.org_a, peers=[world.peer("peer_a")])
    group.professional_facilitators.add(world.membership("professional_a"))
    return group


@pytest.fixture
def session_a(world, group_a):
    return GroupSessionFactory(
        group=group_a,
        date=LAST_WEEK,
        duration_minutes=120,
        headcount=6,
        theme="Le sommeil",
        peers=[world.peer("peer_a")],
        recorded_by=world.user("peer_a"),
    )


def update_url(session):
    return reverse("groups:session_update", args=[session.pk])


def delete_url(session):
    return reverse("groups:session_delete", args=[session.pk])


def edit_data(session, **overrides):
    data = {
        "date": session.date.isoformat(),
        "duration_minutes": str(session.duration_minutes),
        "headcount": str(session.headcount),
        "theme": session.theme,
        "peers_present": [p.pk for p in session.peers_present.all()],
    }
    data.update(overrides)
    return data


def snapshot(session):
    """Everything a correction may change, to check that a refused one changed nothing."""
    session = GroupSession.objects.get(pk=session.pk)
    return (
        session.date,
        session.duration_minutes,
        session.headcount,
        session.theme,
        sorted(session.peers_present.values_list("pk", flat=True)),
        sorted(session.professionals_present.values_list("pk", flat=True)),
        sorted(session.attendees.values_list("pk", flat=True)),
    )


def body_of(response):
    return html.unescape(response.content.decode())


# --- correct ----------------------------------------------------------------------------------


def test_peer_corrects_a_session(world, group_a, session_a):
    client = world.client("peer_a")
    form = client.get(update_url(session_a))
    assert form.status_code == 200
    assert form.context["form"].initial["headcount"] == 6
    assert "Supprimer cette séance" in body_of(form)
    event = last_access("groups.groupsession")
    assert (event.action, event.object_ids) == ("view", [session_a.pk])

    professional = world.membership("professional_a")
    response = client.post(
        update_url(session_a),
        edit_data(
            session_a,
            date=(LAST_WEEK - datetime.timedelta(days=1)).isoformat(),
            duration_minutes="90",
            headcount="9",
            theme="Les voix",
            professionals_present=[professional.pk],
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("groups:group_detail", args=[group_a.pk])
    session_a.refresh_from_db()
    assert (session_a.date, session_a.duration_minutes, session_a.headcount, session_a.theme) == (
        LAST_WEEK - datetime.timedelta(days=1),
        90,
        9,
        "Les voix",
    )
    assert list(session_a.professionals_present.all()) == [professional]
    assert session_a.recorded_by == world.user("peer_a")  # the recorder stays
    assert GroupSession.objects.count() == 1
    event = last_access("groups.groupsession")
    assert (event.action, event.object_ids) == ("update", [session_a.pk])
    assert event.user == world.user("peer_a")


def test_coordinator_and_cofacilitating_professional_may_correct(world, session_a):
    for persona, headcount in (("coordinator_a", "11"), ("professional_a", "12")):
        response = world.client(persona).post(
            update_url(session_a), edit_data(session_a, headcount=headcount)
        )
        assert response.status_code == 302, persona
        session_a.refresh_from_db()
        assert session_a.headcount == int(headcount)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"headcount": "-1"}, "Le nombre de participant·es ne peut pas être négatif."),
        ({"headcount": "301"}, "Le nombre de participant·es ne peut pas dépasser 300."),
        ({"headcount": ""}, "Ce champ est obligatoire."),
        (
            {"duration_minutes": "0"},
            "La durée doit être comprise entre 1 minute et 12 heures (720 minutes).",
        ),
        (
            {"duration_minutes": "721"},
            "La durée doit être comprise entre 1 minute et 12 heures (720 minutes).",
        ),
        ({"duration_minutes": "1h30"}, "Saisissez la durée en minutes (un nombre entier)."),
        (
            {"date": (TODAY() + datetime.timedelta(days=1)).isoformat()},
            "La date de la séance ne peut pas être dans le futur.",
        ),
        ({"date": "31/02/2026"}, "Saisissez une date valide."),
    ],
)
def test_bad_correction_is_refused_in_french_and_changes_nothing(
    world, session_a, overrides, message
):
    before = snapshot(session_a)
    # A valid change next to the bad one: it must not be saved either.
    data = edit_data(session_a, theme="Changement partiel", **overrides)
    response = world.client("peer_a").post(update_url(session_a), data)
    assert response.status_code == 200
    body = body_of(response)
    assert message in body
    assert "rien n'a été enregistré" in body
    assert snapshot(session_a) == before
    assert not AccessEvent.objects.filter(action="update").exists()


def test_correction_before_the_cycle_start_is_refused(world, group_a, session_a):
    group_a.starts_on = LAST_WEEK - datetime.timedelta(days=3)
    group_a.save()
    before = snapshot(session_a)
    response = world.client("peer_a").post(
        update_url(session_a),
        edit_data(session_a, date=(LAST_WEEK - datetime.timedelta(days=4)).isoformat()),
    )
    assert "La séance ne peut pas précéder le début du cycle" in body_of(response)
    assert snapshot(session_a) == before


def test_a_failure_while_saving_leaves_the_session_as_it_was(world, session_a, monkeypatch):
    """Nothing half-saved: the session and its attendance roll back together."""
    before = snapshot(session_a)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit indisponible")

    monkeypatch.setattr("entrepairs.groups.views.sessions.log_access", broken_audit)
    with pytest.raises(RuntimeError):
        world.client("peer_a").post(
            update_url(session_a), edit_data(session_a, headcount="2", peers_present=[])
        )
    assert snapshot(session_a) == before


def test_director_and_observers_get_403(world, session_a):
    before = snapshot(session_a)
    for persona in ("director_a", "regional_observer", "national_observer", "admin"):
        client = world.client(persona)
        assert client.get(update_url(session_a)).status_code == 403, persona
        assert (
            client.post(update_url(session_a), edit_data(session_a, headcount="1")).status_code
            == 403
        )
        assert client.get(delete_url(session_a)).status_code == 403, persona
        assert client.post(delete_url(session_a)).status_code == 403, persona
    assert snapshot(session_a) == before


def test_session_of_another_organisation_is_404(world, session_a):
    before = snapshot(session_a)
    for persona in ("peer_b", "coordinator_b"):
        client = world.client(persona)
        assert client.get(update_url(session_a)).status_code == 404
        assert (
            client.post(update_url(session_a), edit_data(session_a, headcount="1")).status_code
            == 404
        )
        assert client.get(delete_url(session_a)).status_code == 404
        assert client.post(delete_url(session_a)).status_code == 404
    assert snapshot(session_a) == before


def test_peer_not_cofacilitating_the_group_gets_404(world):
    """As for recording: a peer only handles the sessions of the groups they co-facilitate."""
    session = GroupSessionFactory(group=GroupFactory(organisation=world.org_a))
    client = world.client("peer_a")
    assert client.get(update_url(session)).status_code == 404
    assert client.post(delete_url(session)).status_code == 404
    assert GroupSession.objects.filter(pk=session.pk).exists()


def test_a_peer_who_left_the_group_stays_present_on_its_past_sessions(world, group_a, session_a):
    group_a.peer_facilitators.remove(world.peer("peer_a"))
    # The coordinator corrects: the former co-facilitator is still offered and stays ticked.
    client = world.client("coordinator_a")
    form = client.get(update_url(session_a)).context["form"]
    assert world.peer("peer_a") in form.fields["peers_present"].queryset
    response = client.post(update_url(session_a), edit_data(session_a, headcount="3"))
    assert response.status_code == 302
    assert list(session_a.peers_present.all()) == [world.peer("peer_a")]
    # Who is neither a co-facilitator nor already present cannot be added.
    response = client.post(
        update_url(session_a), edit_data(session_a, peers_present=[world.peer("peer_b").pk])
    )
    assert response.status_code == 200
    assert list(session_a.peers_present.all()) == [world.peer("peer_a")]


# --- named attendance -------------------------------------------------------------------------


def test_named_attendance_needs_the_record_consent_when_correcting(world, session_a):
    consenting = accompanied_person(world, alias="Alix")
    without = accompanied_person(world, alias="Basile", consents=(ConsentPurpose.EVALUATION,))
    client = world.client("peer_a")
    form = client.get(update_url(session_a)).context["form"]
    assert list(form.fields["attendees"].queryset) == [consenting]

    before = snapshot(session_a)
    response = client.post(update_url(session_a), edit_data(session_a, attendees=[without.pk]))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in body_of(response)
    assert snapshot(session_a) == before

    response = client.post(update_url(session_a), edit_data(session_a, attendees=[consenting.pk]))
    assert response.status_code == 302
    assert list(session_a.attendees.all()) == [consenting]


def test_headcount_must_still_include_the_named_persons(world, session_a):
    a = accompanied_person(world, alias="Alix")
    b = accompanied_person(world, alias="Basile")
    session_a.attendees.set([a, b])
    before = snapshot(session_a)
    response = world.client("peer_a").post(
        update_url(session_a), edit_data(session_a, headcount="1", attendees=[a.pk, b.pk])
    )
    assert "Vous avez nommé 2 personnes" in body_of(response)
    assert snapshot(session_a) == before


def test_peer_removes_a_name_and_the_form_logs_the_names_it_shows(world, session_a):
    person = accompanied_person(world, alias="Alix-Nommée")
    session_a.attendees.set([person])
    client = world.client("peer_a")
    form = client.get(update_url(session_a))
    assert form.context["form"].initial["attendees"] == [person.pk]
    assert "Alix-Nommée" in body_of(form)
    person_event = last_access("accompaniment.person")
    assert (person_event.action, person_event.object_ids) == ("view", [person.pk])

    response = client.post(update_url(session_a), edit_data(session_a))  # unticked
    assert response.status_code == 302
    assert session_a.attendees.count() == 0


def test_names_the_editor_may_not_see_are_kept_and_not_shown(world, session_a):
    """No team-sharing consent: the professional does not see the person, cannot remove
    them, and the headcount still has to include them."""
    person = accompanied_person(world, alias="Alix-Cachée")
    session_a.attendees.set([person])
    client = world.client("professional_a")
    form = client.get(update_url(session_a))
    assert "Alix-Cachée" not in body_of(form)
    assert form.context["form"].initial["attendees"] == []
    assert not AccessEvent.objects.filter(object_type="accompaniment.person").exists()

    response = client.post(update_url(session_a), edit_data(session_a, headcount="0"))
    assert "Cette séance compte 1 personne nommée" in body_of(response)
    response = client.post(update_url(session_a), edit_data(session_a, headcount="4"))
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert session_a.headcount == 4
    assert list(session_a.attendees.all()) == [person]


def test_withdrawn_consent_keeps_the_link_hidden_through_a_correction(world, session_a):
    person = accompanied_person(world, alias="Alix-Retrait")
    session_a.attendees.set([person])
    Consent.objects.create(person=person, purpose=ConsentPurpose.RECORD, given=False, means="oral")
    client = world.client("peer_a")
    assert "Alix-Retrait" not in body_of(client.get(update_url(session_a)))
    response = client.post(update_url(session_a), edit_data(session_a, theme="Corrigé"))
    assert response.status_code == 302
    assert list(session_a.attendees.all()) == [person]
    detail = client.get(reverse("groups:group_detail", args=[session_a.group_id]))
    assert "Alix-Retrait" not in body_of(detail)


# --- delete -----------------------------------------------------------------------------------


def test_delete_asks_for_confirmation_then_deletes(world, group_a, session_a):
    person = accompanied_person(world, alias="Alix-Supprimée")
    session_a.attendees.set([person])
    kept = GroupSessionFactory(group=group_a, date=LAST_WEEK)
    client = world.client("coordinator_a")

    confirm = client.get(delete_url(session_a))
    assert confirm.status_code == 200
    body = body_of(confirm)
    assert "Supprimer la séance" in body and "Alix-Supprimée" in body
    assert GroupSession.objects.filter(pk=session_a.pk).exists()
    assert last_access("groups.groupsession").action == "view"
    assert last_access("accompaniment.person").object_ids == [person.pk]

    response = client.post(delete_url(session_a))
    assert response.status_code == 302
    assert response.url == reverse("groups:group_detail", args=[group_a.pk])
    assert list(GroupSession.objects.all()) == [kept]
    event = last_access("groups.groupsession")
    assert (event.action, event.object_ids) == ("delete", [session_a.pk])
    assert AccessEvent.objects.about("groups.groupsession", session_a.pk).count() == 2
    person.refresh_from_db()  # the person stays; only their presence at that session goes


def test_peer_deletes_a_session_of_their_group(world, session_a):
    response = world.client("peer_a").post(delete_url(session_a))
    assert response.status_code == 302
    assert not GroupSession.objects.exists()


# --- links from the group page ----------------------------------------------------------------


def test_group_page_links_each_session_to_its_correction(world, group_a, session_a):
    older = GroupSessionFactory(group=group_a, date=LAST_WEEK - datetime.timedelta(days=7))
    body = body_of(world.client("peer_a").get(reverse("groups:group_detail", args=[group_a.pk])))
    for session in (session_a, older):
        assert update_url(session) in body
        assert f"la séance du {session.date:%d/%m/%Y}</span>" in body


def test_director_sees_no_correction_link(world, group_a, session_a):
    body = body_of(
        world.client("director_a").get(reverse("groups:group_detail", args=[group_a.pk]))
    )
    assert update_url(session_a) not in body
    assert "Corriger" not in body


def test_group_page_query_count_is_constant_with_correction_links(world, group_a):
    person = accompanied_person(world, alias="Alix")

    def add_rows(n):
        for _ in range(n):
            GroupSessionFactory(group=group_a, peers=[world.peer("peer_a")], named=[person])

    assert_constant_queries(
        world.client("coordinator_a"),
        reverse("groups:group_detail", args=[group_a.pk]),
        add_rows,
    )
