import io
import json

from django.urls import reverse

from entrepairs.core.models import AccessEvent
from entrepairs.evaluation.fhir import to_questionnaire
from entrepairs.evaluation.models import Campaign, Instrument, InstrumentVersion, Invitation
from tests.utils import assert_constant_queries, last_access

from .factories import builtin, campaign, consenting_person


def test_coordinator_creates_a_linked_campaign(world):
    version = builtin("who-5")
    client = world.client("coordinator_a")
    response = client.post(
        reverse("evaluation:campaign_create"),
        {
            "title": "WHO-5 avant / après",
            "instrument_version": version.pk,
            "mode": "linked",
            "timepoints": ["start", "months"],
            "months_after": "6",
            "link_validity_days": "30",
            "opens_on": "2026-01-01",
        },
    )
    assert response.status_code == 302
    created = Campaign.objects.get()
    assert created.organisation == world.org_a and created.audience == "person"


def test_team_campaign_cannot_be_linked(world):
    version = builtin("climat-equipe")
    response = world.client("coordinator_a").post(
        reverse("evaluation:campaign_create"),
        {
            "title": "Climat",
            "instrument_version": version.pk,
            "mode": "linked",
            "timepoints": ["start"],
            "link_validity_days": "30",
            "opens_on": "2026-01-01",
        },
    )
    page = response.content.decode()
    assert "toujours anonymes" in page and "une seule fois" in page
    assert not Campaign.objects.exists()


def test_only_consenting_persons_are_invited(world):
    consenting = consenting_person(world, alias="Avec accord")
    consenting_person(world, consent=False, alias="Sans accord")
    c = campaign(world, mode=Campaign.Mode.LINKED, code="who-5")
    client = world.client("peer_a")
    page = client.get(reverse("evaluation:campaign_detail", args=[c.pk])).content.decode()
    assert "Avec accord" in page and "Sans accord" not in page
    key = f"{consenting.accompaniments.get().pk}:start"
    sheet = client.post(
        reverse("evaluation:campaign_invitations", args=[c.pk]),
        {"due": [key], "confirm": "1"},
        follow=True,
    )
    assert sheet.status_code == 200
    assert "Avec accord" in sheet.content.decode()
    assert Invitation.objects.get().person == consenting
    assert AccessEvent.objects.filter(action="create", object_type="accompaniment.person").exists()
    # Already invited: no longer due.
    assert (
        "Avec accord"
        not in client.get(reverse("evaluation:campaign_detail", args=[c.pk])).content.decode()
    )
    # A forged key invites nobody.
    client.post(
        reverse("evaluation:campaign_invitations", args=[c.pk]),
        {"due": ["999:start"], "confirm": "1"},
    )
    assert Invitation.objects.count() == 1


def test_anonymous_batch_prints_qr_codes(world):
    c = campaign(world)
    client = world.client("coordinator_a")
    page = client.post(
        reverse("evaluation:campaign_invitations", args=[c.pk]), {"count": "3"}, follow=True
    ).content.decode()
    assert page.count('role="img"') == 3
    assert Invitation.objects.filter(person__isnull=True).count() == 3
    client.post(reverse("evaluation:campaign_invitations", args=[c.pk]), {"count": "500"})
    assert Invitation.objects.count() == 3


def test_campaign_list_constant_queries(world):
    client = world.client("coordinator_a")

    def add(n):
        for _ in range(n):
            campaign(world)

    assert_constant_queries(client, reverse("evaluation:campaign_list"), add, small=2, large=6)


def test_instrument_fhir_download_and_import(world):
    client = world.client("coordinator_a")
    version = builtin("who-5")
    response = client.get(reverse("evaluation:instrument_fhir", args=[version.pk]))
    exported = json.loads(response.content)
    assert exported["resourceType"] == "Questionnaire"
    exported["identifier"][0]["value"] = "who-5-maison"
    upload = io.BytesIO(json.dumps(exported).encode())
    upload.name = "q.json"
    response = client.post(
        reverse("evaluation:instrument_import"), {"file": upload, "rights": "on"}
    )
    assert response.status_code == 302
    imported = InstrumentVersion.objects.get(instrument__code="who-5-maison")
    assert imported.instrument.organisation == world.org_a
    assert imported.definition["items"] == version.definition["items"]
    # Not visible to another organisation.
    assert (
        world.client("coordinator_b")
        .get(reverse("evaluation:instrument_detail", args=[imported.pk]))
        .status_code
        == 404
    )


def test_bad_fhir_import_saves_nothing(world):
    count = Instrument.objects.count()
    upload = io.BytesIO(b'{"resourceType": "Patient"}')
    upload.name = "q.json"
    response = world.client("coordinator_a").post(
        reverse("evaluation:instrument_import"), {"file": upload, "rights": "on"}
    )
    assert "Questionnaire refusé" in response.content.decode()
    assert Instrument.objects.count() == count
    definition = dict(builtin("who-5").definition)
    assert to_questionnaire(definition)  # still exportable


def test_responses_fhir_export(world, client):
    from .factories import invitation
    from .test_answering import answer_all

    inv, token = invitation(world, linked=True)
    answer_all(client, reverse("evaluation:answer", args=[token]))
    response = world.client("coordinator_a").get(
        reverse("evaluation:campaign_responses_fhir", args=[inv.campaign.pk])
    )
    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle"
    resource = bundle["entry"][0]["resource"]
    assert resource["resourceType"] == "QuestionnaireResponse" and "subject" not in resource
    assert last_access("evaluation.linkedresponse").action == "export"


def test_campaign_of_another_organisation_is_404(world):
    c = campaign(world, "b")
    assert (
        world.client("coordinator_a")
        .get(reverse("evaluation:campaign_detail", args=[c.pk]))
        .status_code
        == 404
    )


def test_instrument_list_constant_queries(world):
    from entrepairs.evaluation.publishing import publish

    client = world.client("coordinator_a")
    counter = iter(range(1000))

    def add(n):
        for _ in range(n):
            definition = dict(builtin("who-5").definition)
            definition["code"] = f"copie-{next(counter)}"
            publish(definition, organisation=world.org_a)

    assert_constant_queries(client, reverse("evaluation:instrument_list"), add, small=2, large=6)
