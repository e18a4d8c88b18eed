"""The wall on writes: nothing moves between organisations unless the owning one does it.

A peer belongs to their employer; a host organisation ("mise à disposition") sees the dossier
and writes only its own side (time in its facilities). A contract belongs to its employer, a
mission charter to the organisation of its facility, a supervision session or a mentoring pair
to its organisation. Each attack below got through before the fix (issue 9, point 4).
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from entrepairs.core.roles import Role
from entrepairs.territory.models import Organisation
from entrepairs.workforce import forms as workforce_forms
from entrepairs.workforce import peer_forms
from entrepairs.workforce.models import (
    CharterSignature,
    CodeOfConduct,
    ConductAcknowledgement,
    Contract,
    Deployment,
    EthicsJournalEntry,
    Mentoring,
    MissionCharter,
    PeerWorker,
    SalaryGrid,
    SalaryStep,
    SupervisionSession,
)
from tests.factories import (
    DeploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    PeerWorkerFactory,
    UserFactory,
)
from tests.personas import login

from .factories import (
    ContractFactory,
    MissionCharterFactory,
    SupervisionSessionFactory,
    team_lead_for,
)

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def refused(response):
    """A French form error and the form shown again (nothing saved is checked by the caller)."""
    assert response.status_code == 200, response.status_code
    assert "rien n'a été enregistré" in html(response)
    return html(response)


# A peer of an association, seconded to org A --------------------------------------------------
@dataclass
class Secondment:
    association: Organisation
    manager: object  # the association's coordinator membership
    peer: PeerWorker
    contract: Contract
    third: Organisation  # another association, with its own coordinator

    def client(self):
        return login(Client(), self.manager.user)

    def unchanged(self, world):
        """The peer and the contract still belong to the association, hosted by org A."""
        peer = PeerWorker.objects.get(pk=self.peer.pk)
        assert (peer.employer, peer.host_organisation) == (self.association, world.org_a)
        assert (peer.first_name, peer.last_name, peer.status) == ("Inès", "Morel", "in_post")
        contract = Contract.objects.get(pk=self.contract.pk)
        assert contract.employer == self.association and contract.peer_id == peer.pk
        assert contract.gross_monthly_pay is None
        assert PeerWorker.objects.visible_to(self.manager).filter(pk=peer.pk).exists()
        assert not PeerWorker.objects.filter(employer=self.third).exists()


@pytest.fixture
def secondment(world):
    association = OrganisationFactory(
        name="Association Entraide Nord", kind=Organisation.Kind.ASSOCIATION
    )
    manager = MembershipFactory(organisation=association, role=Role.COORDINATOR)
    third = OrganisationFactory(name="Association Tierce", kind=Organisation.Kind.ASSOCIATION)
    MembershipFactory(organisation=third, role=Role.COORDINATOR)
    peer = PeerWorkerFactory(
        employer=association,
        host_organisation=world.org_a,
        first_name="Inès",
        last_name="Morel",
        status=PeerWorker.Status.IN_POST,
    )
    DeploymentFactory(peer=peer, facility=world.facility_a, time_share="0.60")
    contract = ContractFactory(peer=peer, employer=association, kind=Contract.Kind.SECONDMENT)
    return Secondment(association, manager, peer, contract, third)


def peer_url(peer):
    return reverse("workforce:peer_update", kwargs={"pk": peer.pk})


def identity(peer, **extra):
    return {
        "first_name": peer.first_name,
        "last_name": peer.last_name,
        "title": peer.title,
        "status": peer.status,
        **extra,
    }


# The host's coordinator and the seconded peer's placement --------------------------------------
def test_host_cannot_make_a_seconded_peer_its_own_employee(world, secondment):
    """The attack of the report: "salarié·e de notre organisation" posted by the host took the
    peer (and, with it, the association's contracts) away from the association."""
    data = identity(secondment.peer, placement="employed", **{f"share_{world.facility_a.pk}": 60})
    body = refused(world.client("coordinator_a").post(peer_url(secondment.peer), data))
    assert "Seul l&#x27;employeur (Association Entraide Nord) peut modifier" in body
    secondment.unchanged(world)


def test_host_cannot_hand_a_seconded_peer_to_a_third_association(world, secondment):
    """``seconded_by`` offered every association of the country: the host moved the peer and
    the contracts into a third association's tenant."""
    data = identity(
        secondment.peer,
        placement="seconded",
        seconded_by=secondment.third.pk,
        **{f"share_{world.facility_a.pk}": 60},
    )
    refused(world.client("coordinator_a").post(peer_url(secondment.peer), data))
    secondment.unchanged(world)


def test_host_cannot_create_a_peer_in_an_associations_name(world, secondment):
    data = identity(
        PeerWorker(first_name="Nadia", last_name="Benali", title="msp", status="recruiting"),
        placement="seconded",
        seconded_by=secondment.association.pk,
        user="",
    )
    refused(world.client("coordinator_a").post(reverse("workforce:peer_create"), data))
    assert list(PeerWorker.objects.filter(employer=secondment.association)) == [secondment.peer]
    assert not PeerWorker.objects.filter(last_name="Benali").exists()


def test_host_edits_only_its_side(world, secondment):
    free = UserFactory(first_name="Inès", last_name="Morel")
    MembershipFactory(user=free, organisation=world.org_a, role=Role.PEER)
    client = world.client("coordinator_a")
    response = client.get(peer_url(secondment.peer))
    form = response.context["form"]
    assert set(form.fields) == {"user", f"share_{world.facility_a.pk}"}
    assert "Employé·e par Association Entraide Nord" in html(response)
    data = {"user": free.pk, f"share_{world.facility_a.pk}": "40"}
    assert client.post(peer_url(secondment.peer), data).status_code == 302
    peer = PeerWorker.objects.get(pk=secondment.peer.pk)
    assert peer.user == free
    assert peer.deployments.get().time_share == Decimal("0.40")
    secondment.unchanged(world)


def test_the_employer_decides_the_secondment(world, secondment):
    no_coordinator = OrganisationFactory(name="CH sans équipe sur la plateforme")
    ars = Organisation.objects.get(kind=Organisation.Kind.ARS)
    client = secondment.client()
    form = client.get(peer_url(secondment.peer)).context["form"]
    assert form["placement"].value() == "seconded"
    assert form["seconded_to"].value() == world.org_a.pk
    offered = set(form.fields["seconded_to"].queryset)
    assert {world.org_a, world.org_b, secondment.third} <= offered
    assert not {secondment.association, no_coordinator, ars} & offered
    for other in (no_coordinator, ars, secondment.association):
        data = identity(secondment.peer, placement="seconded", seconded_to=other.pk)
        body = refused(client.post(peer_url(secondment.peer), data))
        assert "Choisissez une structure d&#x27;accueil de la liste." in body
        secondment.unchanged(world)
    # The association moves the secondment: the former host's time ends, its access too.
    data = identity(secondment.peer, placement="seconded", seconded_to=world.org_b.pk)
    assert client.post(peer_url(secondment.peer), data).status_code == 302
    peer = PeerWorker.objects.get(pk=secondment.peer.pk)
    assert (peer.employer, peer.host_organisation) == (secondment.association, world.org_b)
    assert not peer.deployments.exists()
    assert Contract.objects.get(pk=secondment.contract.pk).employer == secondment.association
    assert world.client("coordinator_a").get(peer_url(peer)).status_code == 404


def test_a_facility_of_another_organisation_is_refused(world):
    peer = world.peer("peer_a")
    data = identity(peer, placement="employed", **{f"share_{world.facility_b.pk}": "20"})
    body = refused(world.client("coordinator_a").post(peer_url(peer), data))
    assert "Seuls les dispositifs de votre organisation" in body
    assert not Deployment.objects.filter(peer=peer, facility=world.facility_b).exists()
    assert peer.deployments.get().time_share == Decimal("0.80")


# Contracts belong to their employer -----------------------------------------------------------
def test_host_cannot_edit_the_associations_contract(world, secondment):
    url = reverse("workforce:contract_update", kwargs={"pk": secondment.contract.pk})
    client = world.client("coordinator_a")
    assert client.get(url).status_code == 404
    data = {
        "kind": "cdi",
        "employer": world.org_a.pk,
        "start": "2024-01-01",
        "end": "",
        "fte": "0.5",
        "grade": "",
        "gross_monthly_pay": "1",
        "funding": "etablissement",
    }
    assert client.post(url, data).status_code == 404
    secondment.unchanged(world)
    # The host still reads it, without an edit link; the association edits it.
    detail = reverse("workforce:contract_detail", kwargs={"pk": secondment.contract.pk})
    assert url not in html(client.get(detail))
    assert url in html(secondment.client().get(detail))
    data["employer"] = secondment.association.pk
    assert secondment.client().post(url, data).status_code == 302
    assert Contract.objects.get(pk=secondment.contract.pk).gross_monthly_pay == 1


def test_host_cannot_write_a_contract_in_the_associations_name(world, secondment):
    url = reverse("workforce:contract_create", kwargs={"peer_pk": secondment.peer.pk})
    data = {
        "kind": "cdd",
        "employer": secondment.association.pk,
        "start": "2025-01-01",
        "end": "2025-12-31",
        "fte": "0.5",
        "grade": "",
        "gross_monthly_pay": "",
        "funding": "ars",
    }
    client = world.client("coordinator_a")
    body = refused(client.post(url, data))
    assert "Un contrat est enregistré par son employeur" in body
    assert list(secondment.peer.contracts.all()) == [secondment.contract]
    # Its own contract (a direct one, as employer) is the host's to write.
    assert client.post(url, data | {"employer": world.org_a.pk}).status_code == 302
    assert secondment.peer.contracts.filter(employer=world.org_a).count() == 1


# Charters belong to the organisation of their facility -----------------------------------------
@pytest.fixture
def hosts_charter(world):
    """peer_a (employed by org A) also works in org B's CMP, under org B's charter."""
    peer = world.peer("peer_a")
    peer.host_organisation = world.org_b
    peer.save()
    DeploymentFactory(peer=peer, facility=world.facility_b, time_share="0.20")
    return MissionCharterFactory(peer=peer, facility=world.facility_b)


def test_employer_cannot_rewrite_the_hosts_charter(world, hosts_charter):
    client = world.client("coordinator_a")
    update = reverse("workforce:charter_update", kwargs={"pk": hosts_charter.pk})
    new_version = reverse("workforce:charter_new_version", kwargs={"pk": hosts_charter.pk})
    assert client.get(update).status_code == 404
    assert client.post(new_version).status_code == 404
    assert MissionCharter.objects.count() == 1
    detail = html(client.get(reverse("workforce:charter_detail", args=[hosts_charter.pk])))
    assert update not in detail and new_version not in detail
    assert world.client("coordinator_b").get(update).status_code == 200


def test_employer_cannot_sign_the_hosts_charter_as_coordinator(world, hosts_charter):
    hosts_charter.sign(world.membership("peer_a"))
    hosts_charter.sign(hosts_charter.team_lead)
    sign = reverse("workforce:charter_sign", kwargs={"pk": hosts_charter.pk})
    response = world.client("coordinator_a").post(sign, follow=True)
    assert "Vous n&#x27;êtes pas signataire de cette fiche de mission." in html(response)
    assert not CharterSignature.objects.filter(party="coordinator").exists()
    world.client("coordinator_b").post(sign)
    signature = CharterSignature.objects.get(party="coordinator")
    assert signature.membership == world.membership("coordinator_b")


# A peer's journal stays in the organisation they act for ---------------------------------------
def test_a_peer_cannot_bring_an_entry_to_another_organisations_session(world):
    peer = world.peer("peer_a")
    peer.host_organisation = world.org_b
    peer.save()
    session_b = SupervisionSessionFactory(organisation=world.org_b, participants=[peer])
    data = {
        "date": timezone.localdate().isoformat(),
        "situation": "Une situation sans nom.",
        "question": "Une question.",
        "what_helped": "",
        "brought_to": session_b.pk,
    }
    client = world.client("peer_a")
    body = refused(client.post(reverse("workforce:journal_create"), data))
    assert "Choisissez une séance de votre organisation" in body
    assert not EthicsJournalEntry.objects.exists()


# Every choice field of the workforce forms, posted with another organisation's ids ---------------
@dataclass
class Case:
    """``form``.``field`` on ``url`` as ``persona``: ``data`` with ``own`` overrides is saved,
    with ``foreign`` overrides (an id of org B, or one the form does not offer) it is refused
    and ``state`` does not change."""

    form: type
    field: str
    persona: str
    url: object  # (world) -> url
    data: object  # (world) -> valid data without the field
    own: object  # (world) -> overrides naming org A's object
    foreign: object  # (world) -> overrides naming org B's object
    state: object  # (world) -> what the write would change
    setup: object = None  # (world) -> None, before anything


def _peer_data(world):
    return {
        "first_name": "Nadia",
        "last_name": "Benali",
        "title": "msp",
        "status": "recruiting",
        "placement": "employed",
        "seconded_to": "",
        "user": "",
    }


def _free_account(org):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=Role.PEER)
    return user


def _peers_state(world):
    return sorted(
        PeerWorker.objects.values_list("last_name", "employer", "host_organisation", "user")
    )


def _contract_data(world):
    return {
        "kind": "cdd",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "fte": "0.5",
        "grade": "",
        "gross_monthly_pay": "1800",
        "funding": "ars",
        "employer": world.org_a.pk,
    }


def _grid_step_of_b(world):
    grid = SalaryGrid.objects.create(organisation=world.org_b, name="Grille Bêta")
    return SalaryStep.objects.create(grid=grid, order=1, label="1", gross_monthly=2100).pk


def _example_step(world):
    return SalaryStep.objects.filter(grid__is_example=True).order_by("order").first().pk


def _lend_peer_a_to_b(world):
    peer = world.peer("peer_a")
    peer.host_organisation = world.org_b
    peer.save()
    DeploymentFactory(peer=peer, facility=world.facility_b, time_share="0.20")
    SupervisionSessionFactory(organisation=world.org_a, participants=[peer])
    SupervisionSessionFactory(organisation=world.org_b, participants=[peer])


def _charter_data(world):
    return {
        "facility": world.facility_a.pk,
        "team_lead": world.membership("professional_a").pk,
        "referent": "",
        "share_individual": "60",
        "share_groups": "25",
        "share_institutional": "15",
        "tasks_in_scope": "Accueil et soutien.",
        "out_of_scope": "Pas de soin.",
        "supervision_every_weeks": "4",
        "shared_with_team": "Les orientations.",
        "stays_private": "L'histoire de la personne.",
        "review_by": "",
    }


def _professional_b(world):
    return team_lead_for(world.facility_b).pk


def _session_data(world):
    return {
        "date": timezone.localdate().isoformat(),
        "kind": "groupe",
        "duration_minutes": "90",
        "facilitator": "",
        "participants": [world.peer("peer_a").pk],
        "staff_participants": [],
    }


def _mentoring_data(world):
    return {
        "mentor": world.membership("professional_a").pk,
        "mentee": world.membership("peer_a").pk,
        "goals": "Découvrir le travail de l'autre.",
        "start": timezone.localdate().isoformat(),
        "end": "",
    }


def _session_of(world, org):
    return SupervisionSession.objects.get(organisation=world.org(org)).pk


PEER_CREATE = reverse("workforce:peer_create")
CASES = [
    Case(
        peer_forms.PeerWorkerForm,
        "user",
        "coordinator_a",
        lambda w: PEER_CREATE,
        _peer_data,
        lambda w: {"user": _free_account(w.org_a).pk},
        lambda w: {"user": _free_account(w.org_b).pk},
        _peers_state,
    ),
    Case(
        peer_forms.PeerWorkerForm,
        "seconded_to",
        "coordinator_a",
        lambda w: PEER_CREATE,
        _peer_data,
        lambda w: {"placement": "seconded", "seconded_to": w.org_b.pk},
        lambda w: {
            "placement": "seconded",
            "seconded_to": Organisation.objects.get(kind=Organisation.Kind.ARS).pk,
        },
        _peers_state,
    ),
    Case(
        peer_forms.PeerWorkerForm,
        "share_<dispositif>",
        "coordinator_a",
        lambda w: PEER_CREATE,
        _peer_data,
        lambda w: {f"share_{w.facility_a.pk}": "50"},
        lambda w: {f"share_{w.facility_b.pk}": "50"},
        lambda w: (_peers_state(w), sorted(Deployment.objects.values_list("peer", "facility"))),
    ),
    Case(
        workforce_forms.ContractForm,
        "employer",
        "coordinator_a",
        lambda w: reverse("workforce:contract_create", args=[w.peer("peer_a").pk]),
        _contract_data,
        lambda w: {"employer": w.org_a.pk},
        lambda w: {"employer": w.org_b.pk},
        lambda w: Contract.objects.count(),
        setup=_lend_peer_a_to_b,
    ),
    Case(
        workforce_forms.ContractForm,
        "grade",
        "coordinator_a",
        lambda w: reverse("workforce:contract_create", args=[w.peer("peer_a").pk]),
        _contract_data,
        lambda w: {"grade": _example_step(w)},
        lambda w: {"grade": _grid_step_of_b(w)},
        lambda w: Contract.objects.count(),
    ),
    Case(
        workforce_forms.MissionCharterForm,
        "facility",
        "coordinator_a",
        lambda w: reverse("workforce:charter_create", args=[w.peer("peer_a").pk]),
        _charter_data,
        lambda w: {"facility": w.facility_a.pk},
        lambda w: {"facility": w.facility_b.pk},
        lambda w: MissionCharter.objects.count(),
        setup=_lend_peer_a_to_b,
    ),
    Case(
        workforce_forms.MissionCharterForm,
        "team_lead",
        "coordinator_a",
        lambda w: reverse("workforce:charter_create", args=[w.peer("peer_a").pk]),
        _charter_data,
        lambda w: {"team_lead": w.membership("professional_a").pk},
        lambda w: {"team_lead": _professional_b(w)},
        lambda w: MissionCharter.objects.count(),
    ),
    Case(
        workforce_forms.MissionCharterForm,
        "referent",
        "coordinator_a",
        lambda w: reverse("workforce:charter_create", args=[w.peer("peer_a").pk]),
        _charter_data,
        lambda w: {"referent": w.membership("professional_a").pk},
        lambda w: {"referent": _professional_b(w)},
        lambda w: MissionCharter.objects.count(),
    ),
    Case(
        workforce_forms.JournalEntryForm,
        "brought_to",
        "peer_a",
        lambda w: reverse("workforce:journal_create"),
        lambda w: {
            "date": timezone.localdate().isoformat(),
            "situation": "Une situation sans nom.",
            "question": "Une question.",
            "what_helped": "",
        },
        lambda w: {"brought_to": _session_of(w, "a")},
        lambda w: {"brought_to": _session_of(w, "b")},
        lambda w: EthicsJournalEntry.objects.count(),
        setup=_lend_peer_a_to_b,
    ),
    Case(
        workforce_forms.SupervisionSessionForm,
        "participants",
        "coordinator_a",
        lambda w: reverse("workforce:supervision_create"),
        _session_data,
        lambda w: {"participants": [w.peer("peer_a").pk]},
        lambda w: {"participants": [w.peer("peer_a").pk, w.peer("peer_b").pk]},
        lambda w: SupervisionSession.objects.count(),
    ),
    Case(
        workforce_forms.SupervisionSessionForm,
        "staff_participants",
        "coordinator_a",
        lambda w: reverse("workforce:supervision_create"),
        _session_data,
        lambda w: {"staff_participants": [w.membership("professional_a").pk]},
        lambda w: {"staff_participants": [_professional_b(w)]},
        lambda w: SupervisionSession.objects.count(),
    ),
    Case(
        workforce_forms.MentoringForm,
        "mentor",
        "coordinator_a",
        lambda w: reverse("workforce:mentoring_create"),
        _mentoring_data,
        lambda w: {"mentor": w.membership("professional_a").pk},
        lambda w: {"mentor": _professional_b(w)},
        lambda w: Mentoring.objects.count(),
    ),
    Case(
        workforce_forms.MentoringForm,
        "mentee",
        "coordinator_a",
        lambda w: reverse("workforce:mentoring_create"),
        _mentoring_data,
        lambda w: {"mentee": w.membership("peer_a").pk},
        lambda w: {"mentee": w.membership("peer_b").pk},
        lambda w: Mentoring.objects.count(),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.form.__name__}.{c.field}")
def test_other_organisations_ids_are_refused_in_every_choice_field(world, case):
    if case.setup:
        case.setup(world)
    client = world.client(case.persona)
    url = case.url(world)
    before = case.state(world)
    refused(client.post(url, case.data(world) | case.foreign(world)))
    assert case.state(world) == before
    # The same form with the organisation's own object goes through: only the id was wrong.
    response = client.post(url, case.data(world) | case.own(world))
    assert response.status_code == 302, html(response)
    assert case.state(world) != before


def test_every_choice_field_of_the_workforce_forms_is_in_the_table():
    """A new form field naming an organisation, a facility, a peer or a member gets a case."""
    from django import forms

    covered = {(case.form, case.field) for case in CASES}
    modules = (workforce_forms, peer_forms)
    found = set()
    for module in modules:
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, forms.BaseForm):
                for name, field in form.base_fields.items():
                    if isinstance(field, forms.ModelChoiceField):
                        found.add((form, name))
    assert found, "no form found"
    assert found <= covered, sorted(f"{f.__name__}.{n}" for f, n in found - covered)


def test_a_framework_or_code_of_another_organisation_is_refused(world):
    from entrepairs.workforce.models import CompetencyFramework

    framework_b = CompetencyFramework.objects.create(
        organisation=world.org_b, slug="maison", version=1, name="Référentiel Bêta"
    )
    url = reverse("workforce:assessment_create", args=[world.peer("peer_a").pk])
    client = world.client("coordinator_a")
    assert client.get(f"{url}?referentiel={framework_b.pk}").status_code == 404
    code_b = CodeOfConduct.objects.create(
        organisation=world.org_b, version=1, title="Code Bêta", text="…"
    )
    response = client.post(
        reverse("workforce:conduct_acknowledge"), {"code": code_b.pk}, follow=True
    )
    assert "Le code de déontologie a changé entre-temps" in html(response)
    assert not ConductAcknowledgement.objects.exists()
