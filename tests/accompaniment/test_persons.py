import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Accompaniment, Consent, ConsentPurpose, Person
from tests.utils import assert_constant_queries, last_access

from .factories import body, make_encounter, make_person

pytestmark = pytest.mark.django_db

LIST = reverse("accompaniment:person_list")


def intake(world, **overrides):
    data = {
        "alias": "Camille R.",
        "birth_year": "1990",
        "gender": "F",
        "commune": "59350",
        "origin": "cmp",
        "contact": "",
        "setting": Accompaniment.Setting.CMP,
        "facility": world.facility_a.pk,
        "start": timezone.localdate().isoformat(),
        "consent_record": "on",
        "consent_team_sharing": "on",
        "consent_evaluation": "on",
        "consent_means": "oral",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class TestPersonList:
    def test_peer_sees_the_persons_they_accompany(self, world):
        mine = make_person(world, alias="Léa M.")
        other = make_person(world, alias="Hugo T.")
        other.accompaniments.first().peers.clear()
        response = world.client("peer_a").get(LIST)
        assert response.status_code == 200
        assert "Léa M." in body(response)
        assert "Hugo T." not in body(response)
        event = last_access("accompaniment.person")
        assert event.action == "list" and event.object_ids == [mine.pk]

    def test_coordinator_sees_the_organisation_not_the_other(self, world):
        make_person(world, alias="Léa M.")
        make_person(world, "b", alias="Bastien B.")
        response = world.client("coordinator_a").get(LIST)
        assert "Léa M." in body(response)
        assert "Bastien B." not in body(response)

    def test_professional_sees_only_consented_persons_of_their_facilities(self, world):
        make_person(world, alias="Partage O.", team_sharing=True)
        make_person(world, alias="Refus N.", team_sharing=False)
        response = world.client("professional_a").get(LIST)
        assert "Partage O." in body(response)
        assert "Refus N." not in body(response)

    @pytest.mark.parametrize("persona", ["director_a", "regional_observer", "admin"])
    def test_roles_without_person_data_are_refused(self, world, persona):
        assert world.client(persona).get(LIST).status_code == 403

    def test_team_sharing_column_follows_the_consent_in_force(self, world):
        make_person(world, alias="Partage O.", team_sharing=True)
        make_person(world, alias="Refus N.", team_sharing=False)
        page = body(world.client("peer_a").get(LIST))
        rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr>")[2:]}
        assert ">oui<" in rows["Partage O."].replace(" ", "").replace("\n", "")
        assert ">non<" in rows["Refus N."].replace(" ", "").replace("\n", "")

    def test_search_by_alias(self, world):
        make_person(world, alias="Léa M.")
        make_person(world, alias="Hugo T.")
        response = world.client("peer_a").get(LIST, {"q": "hugo"})
        assert "Hugo T." in body(response) and "Léa M." not in body(response)

    @pytest.mark.parametrize("persona", ["peer_a", "professional_a", "coordinator_a"])
    def test_constant_queries(self, world, persona):
        assert_constant_queries(
            world.client(persona),
            LIST,
            lambda n: [make_person(world) for _ in range(n)],
        )


class TestPersonCreate:
    URL = reverse("accompaniment:person_create")

    def test_peer_creates_person_with_accompaniment_and_consents(self, world):
        response = world.client("peer_a").post(self.URL, intake(world))
        person = Person.objects.get(alias="Camille R.")
        assert response.status_code == 302
        assert response["Location"] == reverse("accompaniment:person_detail", args=[person.pk])
        assert person.organisation == world.org_a
        assert person.commune == world.commune_a
        accompaniment = person.accompaniments.get()
        assert list(accompaniment.peers.all()) == [world.peer("peer_a")]
        assert person.has_consent(ConsentPurpose.TEAM_SHARING)
        assert person.has_consent(ConsentPurpose.EVALUATION)
        assert not person.has_consent(ConsentPurpose.CONTACT)
        assert Consent.objects.filter(person=person).count() == 4
        assert last_access("accompaniment.person").action == "create"
        # The peer now sees the new person in their list.
        assert "Camille R." in body(world.client("peer_a").get(LIST))

    def test_coordinator_chooses_the_peers(self, world):
        peer = world.peer("peer_a")
        response = world.client("coordinator_a").post(self.URL, intake(world, peers=[peer.pk]))
        assert response.status_code == 302
        assert list(Person.objects.get().accompaniments.get().peers.all()) == [peer]

    def test_coordinator_must_choose_a_peer(self, world):
        response = world.client("coordinator_a").post(self.URL, intake(world))
        assert "Choisissez au moins un·e pair-aidant·e." in body(response)
        assert not Person.objects.exists()

    def test_likely_duplicate_warns_then_accepts_confirmation(self, world):
        make_person(world, alias="Camille R.", birth_year=1990)
        client = world.client("peer_a")
        response = client.post(self.URL, intake(world))
        assert response.status_code == 200
        assert "figure déjà dans votre liste de personnes" in body(response)
        assert Person.objects.filter(alias="Camille R.").count() == 1
        response = client.post(self.URL, intake(world, confirm_duplicate="on"))
        assert response.status_code == 302
        assert Person.objects.filter(alias="Camille R.").count() == 2

    def test_same_alias_in_another_organisation_is_no_duplicate(self, world):
        make_person(world, "b", alias="Camille R.", birth_year=1990)
        response = world.client("peer_a").post(self.URL, intake(world))
        assert response.status_code == 302

    @pytest.mark.parametrize(
        "overrides, message",
        [
            ({"consent_record": None}, "aucune fiche n'est créée"),
            ({"contact": "06 12 34 56 78"}, "qu'avec l'accord d'être contacté·e"),
            ({"birth_year": "1700"}, "L'année de naissance doit être comprise"),
            ({"commune": "Atlantide"}, "Commune inconnue"),
            ({"alias": ""}, "Ce champ est obligatoire"),
            (
                {"start": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
                "La date ne peut pas être dans le futur.",
            ),
        ],
    )
    def test_bad_input_saves_nothing(self, world, overrides, message):
        response = world.client("peer_a").post(self.URL, intake(world, **overrides))
        assert response.status_code == 200
        assert message in body(response)
        assert 'id="form-errors"' in body(response)
        assert not Person.objects.exists()
        assert not Accompaniment.objects.exists()
        assert not Consent.objects.exists()

    def test_contact_with_consent_is_kept(self, world):
        world.client("peer_a").post(
            self.URL, intake(world, contact="06 12 34 56 78", consent_contact="on")
        )
        assert Person.objects.get().visible_contact == "06 12 34 56 78"


class TestPersonDetail:
    def url(self, person):
        return reverse("accompaniment:person_detail", args=[person.pk])

    def test_peer_sees_own_private_note(self, world):
        person = make_person(world)
        make_encounter(person, note="Parle de son frère")
        response = world.client("peer_a").get(self.url(person))
        assert "Parle de son frère" in body(response)
        event = last_access("accompaniment.person")
        assert event.action == "view" and event.object_ids == [person.pk]

    def test_coordinator_never_sees_a_private_note(self, world):
        person = make_person(world)
        make_encounter(person, note="Secret entre pairs")
        make_encounter(person, note="Note pour l'équipe", visibility="team")
        response = world.client("coordinator_a").get(self.url(person))
        assert response.status_code == 200
        assert "Secret entre pairs" not in body(response)
        assert "Note pour l'équipe" in body(response)

    def test_professional_sees_only_shared_notes(self, world):
        person = make_person(world, team_sharing=True)
        make_encounter(person, note="Secret entre pairs")
        make_encounter(person, note="A repris le sport", visibility="team")
        response = world.client("professional_a").get(self.url(person))
        assert "Secret entre pairs" not in body(response)
        assert "A repris le sport" in body(response)

    def test_another_peer_of_the_organisation_gets_404(self, world):
        person = make_person(world)
        person.accompaniments.first().peers.clear()
        assert world.client("peer_a").get(self.url(person)).status_code == 404

    def test_anonymised_person_answers_404(self, world):
        person = make_person(world)
        Person.objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
        assert world.client("coordinator_a").get(self.url(person)).status_code == 404

    @pytest.mark.parametrize("persona", ["peer_a", "professional_a", "coordinator_a"])
    def test_constant_queries(self, world, persona):
        person = make_person(world)
        assert_constant_queries(
            world.client(persona),
            self.url(person),
            lambda n: [make_encounter(person, note="n", visibility="team") for _ in range(n)],
        )

    def test_shows_the_latest_encounters_and_links_to_all(self, world):
        person = make_person(world)
        today = timezone.localdate()
        for days in range(12):
            make_encounter(person, date=today - datetime.timedelta(days=days + 1))
        page = body(world.client("peer_a").get(self.url(person)))
        assert "12 rencontres – les 10 plus récentes" in page
        assert reverse("accompaniment:encounter_list", args=[person.pk]) in page
        oldest = (today - datetime.timedelta(days=12)).strftime("%d/%m/%Y")
        assert oldest not in page


class TestEncounterList:
    def url(self, person):
        return reverse("accompaniment:encounter_list", args=[person.pk])

    def test_pages_through_every_encounter_newest_first(self, world):
        person = make_person(world)
        today = timezone.localdate()
        for days in range(30):
            make_encounter(person, date=today - datetime.timedelta(days=days + 1))
        first = body(world.client("peer_a").get(self.url(person)))
        assert "30 rencontres – page 1 sur 2" in first
        assert (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y") in first
        second = body(world.client("peer_a").get(self.url(person) + "?page=2"))
        assert (today - datetime.timedelta(days=30)).strftime("%d/%m/%Y") in second
        assert (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y") not in second
        event = last_access("accompaniment.person")
        assert event.action == "view" and event.object_ids == [person.pk]

    def test_notes_follow_the_note_rule(self, world):
        person = make_person(world, team_sharing=True)
        make_encounter(person, note="Secret entre pairs")
        make_encounter(person, note="A repris le sport", visibility="team")
        professional = body(world.client("professional_a").get(self.url(person)))
        assert "Secret entre pairs" not in professional
        assert "A repris le sport" in professional
        coordinator = body(world.client("coordinator_a").get(self.url(person)))
        assert "Secret entre pairs" not in coordinator
        assert "Secret entre pairs" in body(world.client("peer_a").get(self.url(person)))

    def test_withdrawing_team_sharing_hides_shared_notes_at_once(self, world):
        person = make_person(world, team_sharing=True)
        make_encounter(person, note="A repris le sport", visibility="team")
        assert "A repris le sport" in body(world.client("coordinator_a").get(self.url(person)))
        Consent.objects.create(person=person, purpose=ConsentPurpose.TEAM_SHARING, given=False)
        assert "A repris le sport" not in body(world.client("coordinator_a").get(self.url(person)))

    def test_a_page_out_of_range_shows_the_last_page(self, world):
        person = make_person(world)
        make_encounter(person)
        response = world.client("peer_a").get(self.url(person) + "?page=99")
        assert response.status_code == 200 and "1 rencontre" in body(response)

    @pytest.mark.parametrize("persona", ["peer_a", "professional_a", "coordinator_a"])
    def test_constant_queries(self, world, persona):
        person = make_person(world)
        assert_constant_queries(
            world.client(persona),
            self.url(person),
            lambda n: [make_encounter(person, note="n", visibility="team") for _ in range(n)],
        )


class TestPersonUpdate:
    def test_update_identity(self, world):
        person = make_person(world)
        url = reverse("accompaniment:person_update", args=[person.pk])
        response = world.client("peer_a").post(
            url, {"alias": "Nouveau P.", "birth_year": "1980", "gender": "", "origin": ""}
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.alias == "Nouveau P." and person.birth_year == 1980
        assert last_access("accompaniment.person").action == "update"

    def test_contact_field_only_with_contact_consent(self, world):
        person = make_person(world, contact=False)
        url = reverse("accompaniment:person_update", args=[person.pk])
        assert 'name="contact"' not in body(world.client("peer_a").get(url))
        other = make_person(world, contact=True)
        url = reverse("accompaniment:person_update", args=[other.pk])
        assert 'name="contact"' in body(world.client("peer_a").get(url))
