import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Consent, ConsentPurpose
from entrepairs.core.models import AccessEvent
from entrepairs.groups.models import Group, GroupSession
from tests.utils import assert_constant_queries, last_access

from .factories import GroupFactory, GroupSessionFactory, accompanied_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def group_a(world):
    group = GroupFactory(organisation=world.org_a, peers=[world.peer("peer_a")])
    group.professional_facilitators.add(world.membership("professional_a"))
    return group


def session_data(**overrides):
    data = {
        "date": TODAY().isoformat(),
        "duration_minutes": "90",
        "headcount": "7",
        "theme": "Le sommeil",
    }
    data.update(overrides)
    return data


# --- list -------------------------------------------------------------------------------------


def test_peer_sees_only_the_groups_they_cofacilitate(world, group_a):
    other = GroupFactory(organisation=world.org_a, name="Atelier sans peer_a")
    GroupSessionFactory(group=group_a, headcount=4)
    GroupSessionFactory(group=group_a, headcount=5)
    response = world.client("peer_a").get(reverse("groups:group_list"))
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert group_a.name in body
    assert other.name not in body
    assert list(response.context["page"].object_list)[0].participant_total == 9
    event = last_access("groups.group")
    assert event.action == "list" and event.object_ids == [group_a.pk]


def test_coordinator_and_director_see_all_groups_of_their_organisation(world, group_a):
    other = GroupFactory(organisation=world.org_a, name="Atelier cuisine")
    foreign = GroupFactory(organisation=world.org_b, name="Groupe de Bêta")
    for persona in ("coordinator_a", "director_a"):
        body = html.unescape(
            world.client(persona).get(reverse("groups:group_list")).content.decode()
        )
        assert group_a.name in body and other.name in body
        assert foreign.name not in body


def test_professional_sees_groups_they_cofacilitate(world, group_a):
    GroupFactory(organisation=world.org_a, name="Sans ce soignant")
    body = html.unescape(
        world.client("professional_a").get(reverse("groups:group_list")).content.decode()
    )
    assert group_a.name in body and "Sans ce soignant" not in body


def test_observers_get_403(world):
    for persona in ("regional_observer", "national_observer", "admin"):
        assert world.client(persona).get(reverse("groups:group_list")).status_code == 403


def test_group_list_query_count_is_constant(world):
    peer = world.peer("peer_a")

    def add_rows(n):
        for _ in range(n):
            group = GroupFactory(organisation=world.org_a, peers=[peer])
            GroupSessionFactory(group=group, peers=[peer])

    assert_constant_queries(world.client("peer_a"), reverse("groups:group_list"), add_rows)


# --- create / edit ----------------------------------------------------------------------------


def test_peer_creates_a_group_and_becomes_cofacilitator(world):
    response = world.client("peer_a").post(
        reverse("groups:group_create"),
        {
            "name": "Entraide du jeudi",
            "kind": Group.Kind.MUTUAL_AID,
            "community_place": "GEM Les Tilleuls",
            "is_open": "False",
            "usual_schedule": "jeudi 14 h – 16 h",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Entraide du jeudi")
    assert group.organisation == world.org_a
    assert group.is_open is False
    assert list(group.peer_facilitators.all()) == [world.peer("peer_a")]
    assert last_access("groups.group").action == "create"


def test_group_needs_a_place_and_a_cycle_in_order(world):
    response = world.client("coordinator_a").post(
        reverse("groups:group_create"),
        {
            "name": "Sans lieu",
            "kind": Group.Kind.OTHER,
            "peer_facilitators": [world.peer("peer_a").pk],
            "is_open": "True",
            "starts_on": "2025-03-10",
            "ends_on": "2025-03-01",
        },
    )
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "Indiquez un dispositif ou un lieu dans la cité." in body
    assert "La fin du cycle ne peut pas précéder son début." in body
    assert not Group.objects.filter(name="Sans lieu").exists()


def test_group_cannot_use_another_organisations_peer_or_facility(world):
    response = world.client("coordinator_a").post(
        reverse("groups:group_create"),
        {
            "name": "Mélange",
            "kind": Group.Kind.OTHER,
            "facility": world.facility_b.pk,
            "peer_facilitators": [world.peer("peer_b").pk],
            "is_open": "True",
        },
    )
    assert response.status_code == 200
    assert not Group.objects.filter(name="Mélange").exists()


def test_director_cannot_create_or_edit(world, group_a):
    client = world.client("director_a")
    assert client.get(reverse("groups:group_create")).status_code == 403
    assert client.get(reverse("groups:group_edit", args=[group_a.pk])).status_code == 403


def test_edit_group_of_other_organisation_is_404(world, group_a):
    response = world.client("coordinator_b").post(
        reverse("groups:group_edit", args=[group_a.pk]), {"name": "Volé"}
    )
    assert response.status_code == 404
    group_a.refresh_from_db()
    assert group_a.name != "Volé"


def test_coordinator_edits_a_group(world, group_a):
    response = world.client("coordinator_a").post(
        reverse("groups:group_edit", args=[group_a.pk]),
        {
            "name": "Nouveau nom",
            "kind": Group.Kind.TALKING_GROUP,
            "facility": world.facility_a.pk,
            "peer_facilitators": [world.peer("peer_a").pk],
            "is_open": "True",
        },
    )
    assert response.status_code == 302
    group_a.refresh_from_db()
    assert group_a.name == "Nouveau nom" and group_a.facility == world.facility_a
    assert group_a.is_active is False  # unticked checkbox
    assert last_access("groups.group").action == "update"


# --- sessions ---------------------------------------------------------------------------------


def test_peer_records_a_session_with_anonymous_headcount(world, group_a):
    url = reverse("groups:session_create", args=[group_a.pk])
    form = world.client("peer_a").get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["date"] == TODAY()
    response = world.client("peer_a").post(
        url, session_data(peers_present=[world.peer("peer_a").pk])
    )
    assert response.status_code == 302
    session = GroupSession.objects.get(group=group_a)
    assert (session.headcount, session.duration_minutes) == (7, 90)
    assert list(session.peers_present.all()) == [world.peer("peer_a")]
    assert session.attendees.count() == 0
    assert last_access("groups.groupsession").action == "create"


def test_duration_defaults_to_the_last_session(world, group_a):
    GroupSessionFactory(group=group_a, duration_minutes=150)
    form = world.client("peer_a").get(reverse("groups:session_create", args=[group_a.pk]))
    assert form.context["form"].initial["duration_minutes"] == 150


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"headcount": "-1"}, "Le nombre de participant·es ne peut pas être négatif."),
        (
            {"duration_minutes": "0"},
            "La durée doit être comprise entre 1 minute et 12 heures (720 minutes).",
        ),
        (
            {"duration_minutes": "721"},
            "La durée doit être comprise entre 1 minute et 12 heures (720 minutes).",
        ),
        (
            {"date": (TODAY() + datetime.timedelta(days=1)).isoformat()},
            "La date de la séance ne peut pas être dans le futur.",
        ),
        ({"headcount": ""}, "Ce champ est obligatoire."),
    ],
)
def test_bad_session_input_is_refused_in_french(world, group_a, overrides, message):
    response = world.client("peer_a").post(
        reverse("groups:session_create", args=[group_a.pk]), session_data(**overrides)
    )
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert message in body
    assert "rien n'a été enregistré" in body
    assert not GroupSession.objects.exists()


def test_session_before_cycle_start_is_refused(world, group_a):
    group_a.starts_on = TODAY() - datetime.timedelta(days=10)
    group_a.save()
    response = world.client("peer_a").post(
        reverse("groups:session_create", args=[group_a.pk]),
        session_data(date=(TODAY() - datetime.timedelta(days=11)).isoformat()),
    )
    assert "La séance ne peut pas précéder le début du cycle" in html.unescape(
        response.content.decode()
    )
    assert not GroupSession.objects.exists()


def test_session_of_a_group_of_another_organisation_is_404(world, group_a):
    response = world.client("peer_b").post(
        reverse("groups:session_create", args=[group_a.pk]), session_data()
    )
    assert response.status_code == 404
    assert not GroupSession.objects.exists()


def test_peer_not_cofacilitating_cannot_record(world):
    group = GroupFactory(organisation=world.org_a)  # peer_a is not a facilitator
    response = world.client("peer_a").post(
        reverse("groups:session_create", args=[group.pk]), session_data()
    )
    assert response.status_code == 404


# --- named attendance -------------------------------------------------------------------------


def test_named_attendance_only_for_persons_with_record_consent(world, group_a):
    consenting = accompanied_person(world, alias="Alix")
    without = accompanied_person(world, alias="Basile", consents=(ConsentPurpose.EVALUATION,))
    url = reverse("groups:session_create", args=[group_a.pk])
    form = world.client("peer_a").get(url).context["form"]
    assert list(form.fields["attendees"].queryset) == [consenting]

    response = world.client("peer_a").post(url, session_data(attendees=[without.pk]))
    assert response.status_code == 200
    assert not GroupSession.objects.exists()

    response = world.client("peer_a").post(
        url, session_data(headcount="1", attendees=[consenting.pk])
    )
    assert response.status_code == 302
    assert list(GroupSession.objects.get().attendees.all()) == [consenting]


def test_session_form_logs_the_persons_it_lists(world, group_a):
    """The quick form lists the aliases that may be named: a read of those persons, logged
    with their ids, on the first display and again when a refused form is shown back."""
    alix = accompanied_person(world, alias="Alix-Listée")
    basile = accompanied_person(world, alias="Basile-Listé")
    accompanied_person(world, alias="Chloé-Sans-Consentement", consents=())
    url = reverse("groups:session_create", args=[group_a.pk])
    client = world.client("peer_a")
    body = html.unescape(client.get(url).content.decode())
    assert "Alix-Listée" in body and "Basile-Listé" in body
    event = last_access("accompaniment.person")
    assert (event.action, sorted(event.object_ids)) == ("list", sorted([alix.pk, basile.pk]))
    assert event.user == world.user("peer_a")

    client.post(url, session_data(headcount="x"))
    assert last_access("accompaniment.person").pk > event.pk


def test_session_correction_form_logs_the_persons_it_lists(world, group_a):
    listed = accompanied_person(world, alias="Alix-Listée")
    session = GroupSessionFactory(group=group_a)
    world.client("coordinator_a").get(reverse("groups:session_update", args=[session.pk]))
    events = AccessEvent.objects.filter(object_type="accompaniment.person", action="list")
    assert [e.object_ids for e in events] == [[listed.pk]]


def test_session_form_without_nameable_person_logs_no_person(world, group_a):
    client = world.client("professional_a")  # no person shared with the team
    accompanied_person(world, alias="Alix")
    assert client.get(reverse("groups:session_create", args=[group_a.pk])).status_code == 200
    assert last_access("accompaniment.person") is None


def test_headcount_must_include_named_persons(world, group_a):
    a = accompanied_person(world, alias="Alix")
    b = accompanied_person(world, alias="Basile")
    response = world.client("peer_a").post(
        reverse("groups:session_create", args=[group_a.pk]),
        session_data(headcount="1", attendees=[a.pk, b.pk]),
    )
    assert "Vous avez nommé 2 personnes" in html.unescape(response.content.decode())
    assert not GroupSession.objects.exists()


def test_named_attendance_is_hidden_from_who_cannot_see_the_person(world, group_a):
    person = accompanied_person(world, alias="Alix-Privée")
    GroupSessionFactory(group=group_a, headcount=5, named=[person])
    detail = reverse("groups:group_detail", args=[group_a.pk])

    peer_body = html.unescape(world.client("peer_a").get(detail).content.decode())
    assert "Alix-Privée" in peer_body
    assert last_access("accompaniment.person").object_ids == [person.pk]

    # No team-sharing consent: the co-facilitating professional does not see the name.
    prof_body = html.unescape(world.client("professional_a").get(detail).content.decode())
    assert "Alix-Privée" not in prof_body and ">5" in prof_body.replace(" ", "").replace("\n", "")
    # Directors see counts only.
    director_body = html.unescape(world.client("director_a").get(detail).content.decode())
    assert "Alix-Privée" not in director_body
    assert "Noter une séance" not in director_body


def test_withdrawing_record_consent_hides_the_name_at_once(world, group_a):
    person = accompanied_person(world, alias="Alix-Retrait")
    GroupSessionFactory(group=group_a, headcount=3, named=[person])
    detail = reverse("groups:group_detail", args=[group_a.pk])
    assert "Alix-Retrait" in html.unescape(
        world.client("coordinator_a").get(detail).content.decode()
    )
    Consent.objects.create(person=person, purpose=ConsentPurpose.RECORD, given=False, means="oral")
    body = html.unescape(world.client("coordinator_a").get(detail).content.decode())
    assert "Alix-Retrait" not in body
    assert "3 participations au total" in body


def test_group_detail_query_count_is_constant(world, group_a):
    peer = world.peer("peer_a")
    person = accompanied_person(world, alias="Alix")

    def add_rows(n):
        for _ in range(n):
            GroupSessionFactory(group=group_a, peers=[peer], named=[person])

    assert_constant_queries(
        world.client("peer_a"), reverse("groups:group_detail", args=[group_a.pk]), add_rows
    )


def test_group_detail_of_other_organisation_is_404(world, group_a):
    assert (
        world.client("coordinator_b").get(reverse("groups:group_detail", args=[group_a.pk]))
    ).status_code == 404
