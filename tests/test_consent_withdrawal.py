"""A consent withdrawal acts everywhere at once: one table, purpose × surface.

The decision table is in docs/accompagnement.md (« Ce que fait un retrait, finalité par
finalité »); every row of it that depends on a consent is a row of ``SURFACES`` below. Each
probe runs twice on the same data: first with every consent in force (the surface shows or
accepts the person's data), then just after the withdrawal was saved through the consent page
(it excludes or refuses it). Refused writes are tampered POSTs, as an insider would send them
with the buttons gone: they must answer 403 with a French explanation and leave every table
that holds the person's data exactly as it was (``Scene.snapshot``).

Surfaces were listed by grepping every read and write of persons' data: ``Person``,
``Encounter``, ``RecoveryPlan`` and its parts, ``Referral``, ``Accompaniment``, group
``attendees``, ``Invitation``, ``LinkedResponse``, ``HospitalStay``, the exports (JSON, HTML,
PDF), the FHIR bundle, the outcomes and the person space.
"""

import datetime
import html
import json
import re
import zlib
from functools import cached_property

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.models import (
    Accompaniment,
    Consent,
    ConsentPurpose,
    Encounter,
    Goal,
    LifeDomain,
    Person,
    Rating,
    RecoveryPlan,
    Referral,
    Review,
    Step,
)
from entrepairs.evaluation.models import (
    Campaign,
    HospitalStay,
    Invitation,
    LinkedResponse,
    PersonSpaceLink,
)
from entrepairs.evaluation.scoring import score_response
from entrepairs.groups.models import GroupSession
from tests.accompaniment.factories import ResourceFactory, make_encounter, make_person
from tests.evaluation.factories import campaign
from tests.groups.factories import GroupFactory, GroupSessionFactory

pytestmark = pytest.mark.django_db

RECORD = ConsentPurpose.RECORD
TEAM = ConsentPurpose.TEAM_SHARING
EVALUATION = ConsentPurpose.EVALUATION
CONTACT = ConsentPurpose.CONTACT

ALIAS = "Lou Témoin"
CONTACT_DETAILS = "06 12 34 56 78"
SHARED_NOTE = "Note partagée : a repris le sport"
PRIVATE_NOTE = "Note privée du pair"
FROZEN = "retiré son accord pour la tenue du dossier"
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)

# Every table that holds the person's data or what hangs from it (audit and sessions aside).
WATCHED = [
    Person,
    Consent,
    Accompaniment,
    Accompaniment.peers.through,
    Encounter,
    RecoveryPlan,
    LifeDomain,
    Goal,
    Step,
    Review,
    Rating,
    Referral,
    GroupSession,
    GroupSession.attendees.through,
    Invitation,
    LinkedResponse,
    PersonSpaceLink,
    HospitalStay,
]


def text(response) -> str:
    return html.unescape(response.content.decode())


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF made by fpdf2, one line per text object. Its embedded TrueType
    font writes two-byte glyph codes, decoded here through the font's ToUnicode map: enough
    to search an export for a string."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            streams.append(match.group(1))
    glyphs = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                glyphs[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    lines = []
    for stream in streams:
        if b" Td " not in stream:  # not a page's content (fonts, images, maps)
            continue
        for raw in _text_objects(stream):
            codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
            lines.append("".join(glyphs.get(code, "?") for code in codes))
    return "\n".join(lines)


PDF_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _text_objects(stream: bytes):
    """The bytes of the string literals of each BT … ET text object (Tj and TJ alike)."""
    current, i = bytearray(), 0
    while i < len(stream):
        if stream[i : i + 1] == b"(":
            i += 1
            while i < len(stream) and stream[i : i + 1] != b")":
                if stream[i : i + 1] == b"\\":
                    escaped = stream[i + 1 : i + 2]
                    current += PDF_ESCAPES.get(escaped, escaped)
                    i += 2
                else:
                    current += stream[i : i + 1]
                    i += 1
        elif stream.startswith(b"ET", i) and current:
            yield bytes(current)
            current = bytearray()
        i += 1


class Scene:
    """Lou, a person of organisation A accompanied by peer_a in facility A, with every consent
    given, contact details, an encounter with a shared note, and (built on demand) a plan, a
    referral, a named group attendance, follow-up answers, a pending invitation, a hospital
    stay. Mo, another consenting person, is the control: his data never leaves a surface."""

    def __init__(self, world):
        self.world = world
        self.person = make_person(
            world,
            team_sharing=True,
            evaluation=True,
            contact=True,
            alias=ALIAS,
            start=TODAY() - 30 * DAY,
        )
        Person.objects.filter(pk=self.person.pk).update(contact=CONTACT_DETAILS)
        self.accompaniment = self.person.accompaniments.get()
        self.encounter = make_encounter(self.person, note=SHARED_NOTE, visibility="team")
        self.private = make_encounter(self.person, note=PRIVATE_NOTE)

    def client(self, persona):
        return self.world.client(persona)

    def url(self, name, *args):
        return reverse(name, args=args or [self.person.pk])

    def withdraw(self, purpose):
        """The withdrawal, saved as the peer saves it: through the consent page."""
        response = self.client("peer_a").post(
            self.url("accompaniment:consent_record"),
            {
                "purpose": purpose,
                "given": "0",
                "means": "oral",
                "decided_on": TODAY().isoformat(),
            },
        )
        assert response.status_code == 302
        assert not Person.objects.get(pk=self.person.pk).has_consent(purpose)

    def snapshot(self):
        return {m._meta.label: list(m.objects.order_by("pk").values()) for m in WATCHED}

    def refused(self, send, status=403, message=FROZEN):
        """``send()`` is refused with a French message and saves nothing at all."""
        before = self.snapshot()
        response = send()
        assert response.status_code == status, response.status_code
        if message:
            assert message in text(response)
        assert self.snapshot() == before
        return response

    # --- data built on demand --------------------------------------------------------------

    @cached_property
    def plan(self):
        plan = RecoveryPlan.start_for(self.person)
        goal = Goal.objects.create(
            plan=plan, domain=plan.domains_list()[0], text="Avoir mon studio"
        )
        Step.objects.create(goal=goal, text="Visiter deux logements")
        return plan

    @cached_property
    def referral(self):
        resource = ResourceFactory(organisation=self.world.org_a)
        return Referral.objects.create(
            person=self.person, resource=resource, date=TODAY() - 3 * DAY
        )

    @cached_property
    def group(self):
        group = GroupFactory(organisation=self.world.org_a, peers=[self.world.peer("peer_a")])
        group.professional_facilitators.add(self.world.membership("professional_a"))
        GroupSessionFactory(
            group=group, headcount=7, peers=[self.world.peer("peer_a")], named=[self.person]
        )
        return group

    def linked_campaign(self, **fields):
        return campaign(self.world, code="who-5", mode=Campaign.Mode.LINKED, **fields)

    @cached_property
    def answered_campaign(self):
        """A closed follow-up campaign: Lou answered at the start and after some months, Mo at
        the start. Three answers before the withdrawal, one (Mo's) after."""
        closed = self.linked_campaign(closed_at=timezone.now())
        self.control = make_person(self.world, alias="Mo Témoin")
        for person, timepoint, raw, days_ago in (
            (self.person, "start", "11111", 20),
            (self.person, "months", "44444", 5),
            (self.control, "start", "22222", 20),
        ):
            answers = dict(zip(["q1", "q2", "q3", "q4", "q5"], raw, strict=True))
            LinkedResponse.objects.create(
                person=person,
                campaign=closed,
                organisation=person.organisation,
                instrument_version=closed.instrument_version,
                timepoint=timepoint,
                answers=answers,
                scores=score_response(closed.instrument_version.definition, answers),
                completed_at=timezone.now() - days_ago * DAY,
            )
        return closed

    @cached_property
    def pending(self):
        """(invitation, token): a follow-up link Lou has not answered yet."""
        return Invitation.issue(
            self.linked_campaign(),
            person=self.person,
            accompaniment=self.accompaniment,
            facility=self.world.facility_a,
            timepoint="start",
        )

    @cached_property
    def space_token(self):
        return PersonSpaceLink.issue(self.person)[1]

    @cached_property
    def hospital_stay(self):
        """A first accompaniment 400 days ago, and a stay in the year after it."""
        first = Accompaniment.objects.create(
            person=self.person,
            facility=self.world.facility_a,
            setting=Accompaniment.Setting.CMP,
            start=TODAY() - 400 * DAY,
            end=TODAY() - 200 * DAY,
        )
        return HospitalStay.objects.create(
            organisation=self.world.org_a,
            person=self.person,
            admission=first.start + 10 * DAY,
            discharge=first.start + 15 * DAY,
            legal_mode="SL",
        )

    def encounter_data(self, **overrides):
        return {
            "accompaniment": self.accompaniment.pk,
            "date": TODAY().isoformat(),
            "duration_minutes": "40",
            "mode": "in_person",
            "place": "Café du coin",
            "kinds": ["soutien"],
            "outcome": "held",
            "note": "",
            "note_visibility": "private",
            **overrides,
        }


SURFACES = []


def surface(purpose, name):
    def register(probe):
        SURFACES.append(pytest.param(purpose, probe, id=f"{purpose}-{name}"))
        return probe

    return register


# === Tenue du dossier (record) : the record is frozen, read-only, still exportable ============


@surface(RECORD, "person-page-read-only")
def _(scene, in_force):
    page = text(scene.client("peer_a").get(scene.url("accompaniment:person_detail")))
    assert ALIAS in page and PRIVATE_NOTE in page  # the record stays readable
    writes = ["Noter une rencontre", "Modifier la fiche", "Ouvrir un nouvel accompagnement"]
    writes.append("Orienter vers une ressource")
    if in_force:
        assert all(w in page for w in writes) and "Dossier en lecture seule" not in page
    else:
        assert not any(w in page for w in writes)
        assert "Dossier en lecture seule" in page and FROZEN in page
        assert "Export JSON" in page and "Clore et anonymiser" in page


@surface(RECORD, "encounter-create")
def _(scene, in_force):
    peer = scene.client("peer_a")
    url = scene.url("accompaniment:encounter_create")
    if in_force:
        assert peer.get(url).status_code == 200
        count = Encounter.objects.count()
        assert peer.post(url, scene.encounter_data()).status_code == 302
        assert Encounter.objects.count() == count + 1
    else:
        scene.refused(lambda: peer.get(url))
        scene.refused(lambda: peer.post(url, scene.encounter_data()))


@surface(RECORD, "encounter-correct")
def _(scene, in_force):
    peer = scene.client("peer_a")
    url = reverse("accompaniment:encounter_update", args=[scene.private.pk])
    data = scene.encounter_data(duration_minutes="90", note=PRIVATE_NOTE)
    if in_force:
        assert peer.post(url, data).status_code == 302
        assert Encounter.objects.get(pk=scene.private.pk).duration_minutes == 90
        Encounter.objects.filter(pk=scene.private.pk).update(duration_minutes=45)
    else:
        scene.refused(lambda: peer.get(url))
        scene.refused(lambda: peer.post(url, data))


@surface(RECORD, "encounter-delete")
def _(scene, in_force):
    victim = make_encounter(scene.person, note="Saisie par erreur")
    url = reverse("accompaniment:encounter_delete", args=[victim.pk])
    peer = scene.client("peer_a")
    if in_force:
        assert peer.post(url).status_code == 302
        assert not Encounter.objects.filter(pk=victim.pk).exists()
    else:
        scene.refused(lambda: peer.post(url))


@surface(RECORD, "encounter-list")
def _(scene, in_force):
    page = text(scene.client("peer_a").get(scene.url("accompaniment:encounter_list")))
    assert PRIVATE_NOTE in page
    edit = reverse("accompaniment:encounter_update", args=[scene.private.pk])
    assert (edit in page) is in_force


@surface(RECORD, "episode-open")
def _(scene, in_force):
    url = scene.url("accompaniment:accompaniment_create")
    data = {
        "setting": "community",
        "facility": scene.world.facility_a.pk,
        "peers": [scene.world.peer("peer_a").pk],
        "start": TODAY().isoformat(),
    }
    client = scene.client("coordinator_a")
    if in_force:
        assert client.post(url, data).status_code == 302
        assert scene.person.accompaniments.count() == 2
    else:
        scene.refused(lambda: client.get(url))
        scene.refused(lambda: client.post(url, data))


@surface(RECORD, "episode-change-or-close")
def _(scene, in_force):
    url = reverse("accompaniment:accompaniment_update", args=[scene.accompaniment.pk])
    data = {
        "setting": "home",
        "facility": scene.world.facility_a.pk,
        "peers": [scene.world.peer("peer_a").pk],
        "start": scene.accompaniment.start.isoformat(),
    }
    client = scene.client("coordinator_a")
    if in_force:
        assert client.post(url, data).status_code == 302
        assert Accompaniment.objects.get(pk=scene.accompaniment.pk).setting == "home"
    else:
        closing = {**data, "end": TODAY().isoformat(), "end_reason": "person_choice"}
        scene.refused(lambda: client.post(url, closing))


@surface(RECORD, "plan-start")
def _(scene, in_force):
    RecoveryPlan.objects.filter(person=scene.person).delete()
    url = scene.url("accompaniment:recovery_plan")
    peer = scene.client("peer_a")
    if in_force:
        assert "Commencer le plan" in text(peer.get(url))
        assert peer.post(url).status_code == 302
        assert RecoveryPlan.objects.filter(person=scene.person).exists()
    else:
        assert "Commencer le plan" not in text(peer.get(url))
        scene.refused(lambda: peer.post(url))


@surface(RECORD, "plan-edit")
def _(scene, in_force):
    plan = RecoveryPlan.objects.get(pk=scene.plan.pk)
    step = Step.objects.get(goal__plan=plan)
    current = {f"goal_{step.goal_id}": step.goal.text, f"step_{step.pk}": step.status}
    domain = plan.domains_list()[1]
    data = {
        "version": plan.version,
        **current,
        "new_goal_domain": domain.pk,
        "new_goal_text": "Se remettre au vélo",
    }
    url = scene.url("accompaniment:recovery_plan")
    peer = scene.client("peer_a")
    page = text(peer.get(url))
    assert "Avoir mon studio" in page  # read-only, not hidden
    if in_force:
        assert "Nouvel objectif" in page
        assert peer.post(url, data).status_code == 302
        assert Goal.objects.filter(text="Se remettre au vélo").exists()
    else:
        assert "Nouvel objectif" not in page and "Faire le point" not in page and FROZEN in page
        scene.refused(lambda: peer.post(url, data))
        edit = {"version": plan.version, **current, f"step_{step.pk}": "done"}
        scene.refused(lambda: peer.post(url, edit))


@surface(RECORD, "plan-review")
def _(scene, in_force):
    plan = RecoveryPlan.objects.get(pk=scene.plan.pk)
    domain = plan.domains_list()[0]
    url = scene.url("accompaniment:recovery_review_create")
    data = {
        "version": plan.version,
        "date": TODAY().isoformat(),
        "comment": "Bon moment",
        f"person_{domain.pk}": "7",
        f"peer_{domain.pk}": "6",
    }
    peer = scene.client("peer_a")
    if in_force:
        assert peer.post(url, data).status_code == 302
        assert Review.objects.filter(plan=plan).count() == 1
    else:
        scene.refused(lambda: peer.get(url))
        scene.refused(lambda: peer.post(url, data))


@surface(RECORD, "referral-create")
def _(scene, in_force):
    resource = ResourceFactory(organisation=scene.world.org_a)
    url = scene.url("accompaniment:referral_create")
    data = {"resource": resource.pk, "date": TODAY().isoformat(), "outcome": "proposed"}
    peer = scene.client("peer_a")
    if in_force:
        assert peer.post(url, data).status_code == 302
        assert Referral.objects.filter(resource=resource).exists()
    else:
        scene.refused(lambda: peer.post(url, data))


@surface(RECORD, "referral-update")
def _(scene, in_force):
    referral = scene.referral
    url = reverse("accompaniment:referral_update", args=[referral.pk])
    outcome = "in_progress" if in_force else "succeeded"
    data = {"resource": referral.resource_id, "date": referral.date.isoformat(), "outcome": outcome}
    peer = scene.client("peer_a")
    if in_force:
        assert peer.post(url, data).status_code == 302
        assert Referral.objects.get(pk=referral.pk).outcome == "in_progress"
    else:
        scene.refused(lambda: peer.post(url, data))


@surface(RECORD, "identity-edit")
def _(scene, in_force):
    url = scene.url("accompaniment:person_update")
    data = {"alias": ALIAS, "birth_year": "1990", "contact": CONTACT_DETAILS}
    peer = scene.client("peer_a")
    if in_force:
        assert peer.post(url, data).status_code == 302
        assert Person.objects.get(pk=scene.person.pk).birth_year == 1990
        Person.objects.filter(pk=scene.person.pk).update(birth_year=1985)
    else:
        scene.refused(lambda: peer.post(url, data))


@surface(RECORD, "group-naming")
def _(scene, in_force):
    group = scene.group
    url = reverse("groups:session_create", args=[group.pk])
    data = {
        "date": TODAY().isoformat(),
        "duration_minutes": "90",
        "headcount": "5",
        "peers_present": [scene.world.peer("peer_a").pk],
        "attendees": [scene.person.pk],
    }
    peer = scene.client("peer_a")
    if in_force:
        assert peer.post(url, data).status_code == 302
        assert GroupSession.objects.filter(group=group, attendees=scene.person).count() == 2
    else:
        scene.refused(lambda: peer.post(url, data), status=200, message="choix valide")


@surface(RECORD, "group-named-attendees")
def _(scene, in_force):
    page = text(scene.client("peer_a").get(reverse("groups:group_detail", args=[scene.group.pk])))
    assert (ALIAS in page) is in_force


@surface(RECORD, "campaign-persons-to-invite")
def _(scene, in_force):
    linked = scene.linked_campaign()
    page = text(scene.client("peer_a").get(reverse("evaluation:campaign_detail", args=[linked.pk])))
    assert (ALIAS in page) is in_force


@surface(RECORD, "campaign-invitation-tampered")
def _(scene, in_force):
    linked = scene.linked_campaign()
    url = reverse("evaluation:campaign_invitations", args=[linked.pk])
    data = {"due": [f"{scene.accompaniment.pk}:start"], "confirm": "1"}
    client = scene.client("coordinator_a")
    if in_force:
        assert ALIAS in text(client.post(url, data, follow=True))
        assert Invitation.objects.filter(campaign=linked, person=scene.person).exists()
    else:
        scene.refused(lambda: client.post(url, data), status=302, message="")
        assert not Invitation.objects.filter(campaign=linked).exists()


@surface(RECORD, "pending-follow-up-link")
def _(scene, in_force):
    invitation, token = scene.pending
    url = reverse("evaluation:answer", args=[token])
    client = scene.client("anonymous")
    if in_force:
        assert client.get(url).status_code == 200
    else:
        assert not Invitation.objects.filter(pk=invitation.pk).exists()
        scene.refused(lambda: client.post(url, {"q": "1", "q1": "3"}), status=404, message="")
        assert not LinkedResponse.objects.filter(person=scene.person).exists()


@surface(RECORD, "person-space-waiting-questionnaires")
def _(scene, in_force):
    invitation, _token = scene.pending
    page = text(
        scene.client("anonymous").get(reverse("evaluation:space", args=[scene.space_token]))
    )
    assert ("Comment je me sens" in page) is in_force  # the WHO-5, in the person's words
    assert "Mon plan de rétablissement" in page  # the person's own space stays open


# Kept on purpose: the person's rights do not depend on the record consent.


@surface(RECORD, "kept-export-of-everything-held")
def _(scene, in_force):
    for name in ("person_export_json", "person_export_html", "person_export_pdf"):
        response = scene.client("peer_a").get(scene.url(f"accompaniment:{name}"))
        assert response.status_code == 200
    data = json.loads(
        scene.client("peer_a").get(scene.url("accompaniment:person_export_json")).content
    )
    assert PRIVATE_NOTE in [e["note"] for e in data["rencontres"]]


@surface(RECORD, "kept-consent-decisions")
def _(scene, in_force):
    url = scene.url("accompaniment:consent_record")
    peer = scene.client("peer_a")
    assert peer.get(url).status_code == 200
    if not in_force:  # giving it back reopens the record at once
        data = {
            "purpose": RECORD,
            "given": "1",
            "means": "written",
            "decided_on": TODAY().isoformat(),
        }
        assert peer.post(url, data).status_code == 302
        assert peer.get(scene.url("accompaniment:encounter_create")).status_code == 200


@surface(RECORD, "kept-space-link")
def _(scene, in_force):
    response = scene.client("peer_a").post(scene.url("evaluation:person_space_link"), follow=True)
    assert response.status_code == 200 and "/mon-espace/" in text(response)


@surface(RECORD, "kept-closure-and-anonymisation")
def _(scene, in_force):
    url = scene.url("accompaniment:person_anonymise")
    peer = scene.client("peer_a")
    assert peer.get(url).status_code == 200
    if not in_force:
        assert peer.post(url, {"confirm": "on", "end_reason": "person_choice"}).status_code == 302
        assert Person.objects.get(pk=scene.person.pk).anonymised_at is not None


# === Partage avec l'équipe (team sharing): professionals lose the person, the team the notes ===


@surface(TEAM, "professional-person-list")
def _(scene, in_force):
    page = text(scene.client("professional_a").get(reverse("accompaniment:person_list")))
    assert (ALIAS in page) is in_force


@surface(TEAM, "professional-person-pages")
def _(scene, in_force):
    client = scene.client("professional_a")
    for name in ("person_detail", "encounter_list", "recovery_plan"):
        response = client.get(scene.url(f"accompaniment:{name}"))
        assert response.status_code == (200 if in_force else 404), name
    if in_force:
        assert SHARED_NOTE in text(client.get(scene.url("accompaniment:person_detail")))


@surface(TEAM, "professional-group-attendees")
def _(scene, in_force):
    page = text(
        scene.client("professional_a").get(reverse("groups:group_detail", args=[scene.group.pk]))
    )
    assert (ALIAS in page) is in_force


@surface(TEAM, "coordinator-shared-note-pages")
def _(scene, in_force):
    client = scene.client("coordinator_a")
    for name in ("person_detail", "encounter_list"):
        page = text(client.get(scene.url(f"accompaniment:{name}")))
        assert (SHARED_NOTE in page) is in_force, name
        assert PRIVATE_NOTE not in page


@surface(TEAM, "coordinator-exports")
def _(scene, in_force):
    client = scene.client("coordinator_a")
    data = json.loads(client.get(scene.url("accompaniment:person_export_json")).content)
    assert (SHARED_NOTE in [e["note"] for e in data["rencontres"]]) is in_force
    assert (
        SHARED_NOTE in text(client.get(scene.url("accompaniment:person_export_html")))
    ) is in_force
    pdf = pdf_text(client.get(scene.url("accompaniment:person_export_pdf")).content)
    assert ALIAS in pdf
    assert (SHARED_NOTE in pdf) is in_force


@surface(TEAM, "new-shared-note")
def _(scene, in_force):
    url = scene.url("accompaniment:encounter_create")
    data = scene.encounter_data(note="Pour l'équipe", note_visibility="team")
    peer = scene.client("peer_a")
    if in_force:
        assert peer.post(url, data).status_code == 302
        assert Encounter.objects.filter(note="Pour l'équipe", note_visibility="team").exists()
    else:
        scene.refused(
            lambda: peer.post(url, data), status=200, message="la note ne peut pas être partagée"
        )


# === Évaluation: out of every campaign, link, export, count and result at once ===============


@surface(EVALUATION, "campaign-persons-to-invite")
def _(scene, in_force):
    linked = scene.linked_campaign()
    page = text(
        scene.client("coordinator_a").get(reverse("evaluation:campaign_detail", args=[linked.pk]))
    )
    assert (ALIAS in page) is in_force


@surface(EVALUATION, "campaign-invitation-tampered")
def _(scene, in_force):
    linked = scene.linked_campaign()
    url = reverse("evaluation:campaign_invitations", args=[linked.pk])
    data = {"due": [f"{scene.accompaniment.pk}:start"], "confirm": "1"}
    peer = scene.client("peer_a")
    if in_force:
        assert ALIAS in text(peer.post(url, data, follow=True))
    else:
        scene.refused(lambda: peer.post(url, data), status=302, message="")
        assert not Invitation.objects.filter(campaign=linked).exists()


@surface(EVALUATION, "pending-link-and-draft")
def _(scene, in_force):
    invitation, token = scene.pending
    url = reverse("evaluation:answer", args=[token])
    client = scene.client("anonymous")
    if in_force:
        assert client.post(url, {"q": "1", "q1": "3"}).status_code == 302
        assert LinkedResponse.objects.filter(invitation=invitation, completed_at=None).exists()
    else:
        assert not LinkedResponse.objects.filter(person=scene.person).exists()  # draft gone
        assert client.get(url).status_code == 404
        scene.refused(lambda: client.post(url, {"q": "2", "q2": "3"}), status=404, message="")


@surface(EVALUATION, "person-space-waiting-questionnaires")
def _(scene, in_force):
    invitation, _token = scene.pending
    page = text(
        scene.client("anonymous").get(reverse("evaluation:space", args=[scene.space_token]))
    )
    assert ("Comment je me sens" in page) is in_force  # the WHO-5, in the person's words
    answer = reverse("evaluation:space_answer", args=[scene.space_token, invitation.pk])
    assert scene.client("anonymous").get(answer).status_code == (200 if in_force else 404)


@surface(EVALUATION, "fhir-questionnaire-responses")
def _(scene, in_force):
    url = reverse("evaluation:campaign_responses_fhir", args=[scene.answered_campaign.pk])
    bundle = json.loads(scene.client("coordinator_a").get(url).content)
    assert len(bundle.get("entry", [])) == (3 if in_force else 1)  # Mo's answer stays


@surface(EVALUATION, "campaign-answer-count")
def _(scene, in_force):
    url = reverse("evaluation:campaign_detail", args=[scene.answered_campaign.pk])
    page = text(scene.client("coordinator_a").get(url))
    assert ("3 questionnaires remplis" if in_force else "1 questionnaire rempli") in page


def outcomes(scene, period=None):
    """The coordinator's outcomes page; fixed calendar periods only (``?period=``)."""
    scene.answered_campaign  # noqa: B018 the answers
    scene.hospital_stay  # noqa: B018
    query = f"?period={period}" if period else ""
    return scene.client("coordinator_a").get(reverse("evaluation:outcomes") + query).context


@surface(EVALUATION, "outcomes-scores")
def _(scene, in_force):
    (who5,) = [r for r in outcomes(scene)["results"] if r["version"].instrument.code == "who-5"]
    assert who5["n"] == (3 if in_force else 1)


@surface(EVALUATION, "outcomes-before-after")
def _(scene, in_force):
    paired = outcomes(scene)["paired"]
    assert paired if in_force else not paired  # one row per WHO-5 score
    assert all(p["n"] == 1 for p in paired)


@surface(EVALUATION, "outcomes-hospital-days")
def _(scene, in_force):
    # The accompaniment of the stay started 400 days ago: the year of that start.
    year = (TODAY() - 400 * DAY).year
    assert outcomes(scene, period=year)["hospital"]["n"] == (1 if in_force else 0)


# === Être contacté·e (contact): the contact details are shown and exported nowhere ============


@surface(CONTACT, "person-page")
def _(scene, in_force):
    page = text(scene.client("peer_a").get(scene.url("accompaniment:person_detail")))
    assert (CONTACT_DETAILS in page) is in_force


@surface(CONTACT, "exports")
def _(scene, in_force):
    client = scene.client("peer_a")
    data = json.loads(client.get(scene.url("accompaniment:person_export_json")).content)
    assert (data["personne"]["contact"] == CONTACT_DETAILS) is in_force
    assert (
        CONTACT_DETAILS in text(client.get(scene.url("accompaniment:person_export_html")))
    ) is in_force
    pdf = pdf_text(client.get(scene.url("accompaniment:person_export_pdf")).content)
    assert ALIAS in pdf
    assert (CONTACT_DETAILS in pdf) is in_force


@surface(CONTACT, "identity-edit-tampered")
def _(scene, in_force):
    url = scene.url("accompaniment:person_update")
    peer = scene.client("peer_a")
    assert (CONTACT_DETAILS in text(peer.get(url))) is in_force
    data = {"alias": ALIAS, "birth_year": "1985", "contact": "07 99 99 99 99"}
    assert peer.post(url, data).status_code == 302
    stored = Person.objects.get(pk=scene.person.pk).contact
    if in_force:
        assert stored == "07 99 99 99 99"
        Person.objects.filter(pk=scene.person.pk).update(contact=CONTACT_DETAILS)
    else:
        assert stored == CONTACT_DETAILS  # the tampered field is ignored, nothing else changed


def test_every_purpose_has_surfaces():
    purposes = {param.values[0] for param in SURFACES}
    assert purposes == set(ConsentPurpose.values)


@pytest.mark.parametrize(("purpose", "probe"), SURFACES)
def test_withdrawal_acts_at_once_on_every_surface(world, purpose, probe):
    scene = Scene(world)
    probe(scene, in_force=True)
    scene.withdraw(purpose)
    probe(scene, in_force=False)
