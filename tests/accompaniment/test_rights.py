import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import Encounter, Goal, Person, Referral, Review, Step
from entrepairs.accompaniment.rights import anonymise_person
from entrepairs.core.models import AccessEvent
from tests.utils import last_access

from .factories import body, make_encounter, make_person, make_plan, make_referral

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def full_person(world, **kwargs):
    person = make_person(world, **kwargs)
    make_encounter(person, note="Secret entre pairs", place="Parc Barbieux")
    make_encounter(person, note="Pour l'équipe", visibility="team")
    plan = make_plan(person)
    goal = Goal.objects.create(plan=plan, domain=plan.domains.first(), text="Mon studio à Roubaix")
    Step.objects.create(goal=goal, text="Appeler Mme Durand")
    Review.objects.create(plan=plan, date=TODAY(), comment="Dit avoir revu sa sœur")
    make_referral(person)
    return person


class TestExport:
    def test_json_export_of_everything_held(self, world):
        person = full_person(world)
        response = world.client("peer_a").get(
            reverse("accompaniment:person_export_json", args=[person.pk])
        )
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        assert data["personne"]["pseudonyme"] == person.alias
        assert len(data["consentements"]) == 4
        assert len(data["rencontres"]) == 2
        assert {e["note"] for e in data["rencontres"]} == {"Secret entre pairs", "Pour l'équipe"}
        goals = [g for d in data["plan_de_retablissement"]["domaines"] for g in d["objectifs"]]
        assert goals[0]["objectif"] == "Mon studio à Roubaix"
        assert len(data["orientations"]) == 1
        event = last_access("accompaniment.person")
        assert event.action == "export" and event.object_ids == [person.pk]

    def test_coordinator_export_never_holds_private_notes(self, world):
        person = full_person(world)
        for name in ("person_export_json", "person_export_html"):
            response = world.client("coordinator_a").get(
                reverse(f"accompaniment:{name}", args=[person.pk])
            )
            assert response.status_code == 200
            assert "Secret entre pairs" not in body(response)
            assert "Pour l'équipe" in body(response)

    def test_printable_html_and_pdf(self, world):
        person = full_person(world)
        client = world.client("peer_a")
        page = body(client.get(reverse("accompaniment:person_export_html", args=[person.pk])))
        assert "Tout ce que nous détenons" in page and "Mon studio à Roubaix" in page
        pdf = client.get(reverse("accompaniment:person_export_pdf", args=[person.pk]))
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        assert AccessEvent.objects.filter(action="export").count() == 2

    def test_professional_cannot_export(self, world):
        person = full_person(world)
        url = reverse("accompaniment:person_export_json", args=[person.pk])
        assert world.client("professional_a").get(url).status_code == 403


class TestAnonymise:
    def test_anonymise_erases_free_text_keeps_counts(self, world):
        person = full_person(world, contact=True, birth_year=1987)
        Person.objects.filter(pk=person.pk).update(contact="06 00 00 00 00")
        url = reverse("accompaniment:person_anonymise", args=[person.pk])
        client = world.client("coordinator_a")
        assert "Clore le dossier" in body(client.get(url))
        response = client.post(url, {"confirm": "on", "end_reason": "person_choice"})
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.anonymised_at is not None
        assert person.alias == "Personne anonymisée"
        assert person.birth_year == 1985
        assert person.contact == "" and person.commune is None
        assert Encounter.objects.filter(accompaniment__person=person).count() == 2
        assert not Encounter.objects.exclude(note="").exists()
        assert not Encounter.objects.exclude(place="").exists()
        assert not Goal.objects.exclude(text="—").exists()
        assert not Step.objects.exclude(text="—").exists()
        assert not Review.objects.exclude(comment="").exists()
        assert Referral.objects.filter(person=person).count() == 1
        accompaniment = person.accompaniments.get()
        assert accompaniment.end is not None and accompaniment.end_reason == "person_choice"
        assert last_access("accompaniment.person").action == "delete"
        # Gone from lists and pages.
        assert person.pk not in last_access_list_ids(world)
        assert (
            client.get(reverse("accompaniment:person_detail", args=[person.pk])).status_code == 404
        )

    def test_confirmation_required(self, world):
        person = full_person(world)
        url = reverse("accompaniment:person_anonymise", args=[person.pk])
        response = world.client("peer_a").post(url, {})
        assert "Cochez la confirmation pour anonymiser." in body(response)
        person.refresh_from_db()
        assert person.anonymised_at is None
        assert Encounter.objects.exclude(note="").count() == 2

    def test_professional_cannot_anonymise(self, world):
        person = full_person(world)
        url = reverse("accompaniment:person_anonymise", args=[person.pk])
        assert world.client("professional_a").post(url, {"confirm": "on"}).status_code == 403

    def test_other_organisation_gets_404(self, world):
        person = full_person(world)
        url = reverse("accompaniment:person_anonymise", args=[person.pk])
        assert world.client("coordinator_b").post(url, {"confirm": "on"}).status_code == 404
        assert Person.objects.get(pk=person.pk).anonymised_at is None


def last_access_list_ids(world):
    world.client("coordinator_a").get(reverse("accompaniment:person_list"))
    return last_access("accompaniment.person").object_ids


class TestRetention:
    def test_command_anonymises_only_inactive_persons(self, world):
        old = make_person(world, alias="Ancien A.", start=TODAY() - datetime.timedelta(days=900))
        Person.objects.filter(pk=old.pk).update(
            last_activity_on=TODAY() - datetime.timedelta(days=400)
        )
        recent = make_person(world, alias="Récent R.")
        stale_field = make_person(
            world, alias="Actif A.", start=TODAY() - datetime.timedelta(days=900)
        )
        Person.objects.filter(pk=stale_field.pk).update(
            last_activity_on=TODAY() - datetime.timedelta(days=400)
        )
        make_encounter(stale_field, date=TODAY() - datetime.timedelta(days=5))
        out = StringIO()
        call_command("anonymise_inactive", "--days", "365", stdout=out)
        assert "1 personne(s) sans activité depuis 365 jours anonymisée(s)." in out.getvalue()
        assert "EPSM Alpha : 1" in out.getvalue()
        assert Person.objects.get(pk=old.pk).anonymised_at is not None
        assert Person.objects.get(pk=recent.pk).anonymised_at is None
        assert Person.objects.get(pk=stale_field.pk).anonymised_at is None

    def test_dry_run_changes_nothing(self, world):
        old = make_person(world, start=TODAY() - datetime.timedelta(days=900))
        Person.objects.filter(pk=old.pk).update(last_activity_on=TODAY() - datetime.timedelta(800))
        out = StringIO()
        call_command("anonymise_inactive", "--days", "365", "--dry-run", stdout=out)
        assert "1 personne(s)" in out.getvalue() and "à anonymiser" in out.getvalue()
        assert Person.objects.get(pk=old.pk).anonymised_at is None

    def test_default_period_comes_from_settings(self, world, settings):
        settings.PERSON_RETENTION_DAYS = 30
        old = make_person(world)
        Person.objects.filter(pk=old.pk).update(last_activity_on=TODAY() - datetime.timedelta(40))
        call_command("anonymise_inactive", stdout=StringIO())
        assert Person.objects.get(pk=old.pk).anonymised_at is not None

    def test_anonymise_twice_is_harmless(self, world):
        person = full_person(world)
        anonymise_person(person)
        person.refresh_from_db()
        anonymise_person(person)
        person.refresh_from_db()
        assert person.birth_year == 1985
