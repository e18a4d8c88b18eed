"""Authorization matrix of the workforce app (see tests/authz.py)."""

from pathlib import Path

from django.conf import settings

from entrepairs.core.roles import Role
from entrepairs.workforce.models import CompetencyFramework
from tests.authz import Route
from tests.factories import MembershipFactory

from .factories import (
    ContractFactory,
    JournalEntryFactory,
    MentoringFactory,
    MissionCharterFactory,
    SupervisionSessionFactory,
    TrainingFactory,
)

MANAGERS = {"coordinator_a", "director_a", "coordinator_b"}
ORG_ROLES = {"peer_a", "professional_a", "coordinator_a", "director_a", "peer_b", "coordinator_b"}
COORDINATORS = {"coordinator_a", "coordinator_b"}
PEERS = {"peer_a", "peer_b"}
# Readers of org A's peer dossier; org B's staff get 404 on it.
DOSSIER = {"peer_a", "coordinator_a", "director_a"}
OTHER_ORG_404 = {"peer_b": 404, "coordinator_b": 404}


def _peer(world, org):
    return world.peer("peer_a" if org == "a" else "peer_b")


def peer_kwargs(world, org):
    return {"peer_pk": _peer(world, org).pk}


def peer_pk(world, org):
    return {"pk": _peer(world, org).pk}


def contract(world, org):
    return {"pk": ContractFactory(peer=_peer(world, org)).pk}


def training(world, org):
    return {"pk": TrainingFactory(peer=_peer(world, org)).pk}


def training_with_certificate(world, org):
    t = TrainingFactory(peer=_peer(world, org))
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "certificates" / f"matrix-{t.pk}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n%test\n")
    t.certificate_path = f"certificates/{path.name}"
    t.certificate_mime = "application/pdf"
    t.certificate_name = "attestation.pdf"
    t.save()
    return {"pk": t.pk}


def charter(world, org):
    return {"pk": MissionCharterFactory(peer=_peer(world, org)).pk}


def framework(world, org):
    version = CompetencyFramework.objects.filter(slug="maison").count() + 1
    f = CompetencyFramework.objects.create(
        organisation=world.org(org), slug="maison", version=version, name="Référentiel maison"
    )
    return {"pk": f.pk}


def journal_entry(world, org):
    return {"pk": JournalEntryFactory(peer=_peer(world, org)).pk}


def session(world, org):
    return {
        "pk": SupervisionSessionFactory(
            organisation=world.org(org), participants=[_peer(world, org)]
        ).pk
    }


def mentoring(world, org):
    if org == "a":
        mentor, mentee = world.membership("professional_a"), world.membership("peer_a")
    else:
        mentor = MembershipFactory(organisation=world.org_b, role=Role.PROFESSIONAL)
        mentee = world.membership("peer_b")
    return {"pk": MentoringFactory(mentor=mentor, mentee=mentee).pk}


ROUTES = [
    Route("workforce:dashboard", allowed=MANAGERS),
    Route("workforce:peer_list", allowed=MANAGERS),
    Route("workforce:peer_list_export", allowed=MANAGERS, query="format=xlsx"),
    Route("workforce:peer_detail", allowed=DOSSIER, kwargs=peer_pk, status=OTHER_ORG_404),
    Route("workforce:my_dossier", allowed=PEERS, ok_status=302),
    Route("workforce:peer_create", allowed=MANAGERS),
    Route(
        "workforce:peer_update",
        allowed={"coordinator_a", "director_a"},
        kwargs=peer_pk,
        status={"coordinator_b": 404},
    ),
    # Contracts
    Route("workforce:contract_list", allowed=MANAGERS),
    Route("workforce:contract_list_export", allowed=MANAGERS, query="format=xlsx"),
    Route("workforce:contracts_ending", allowed=MANAGERS),
    Route("workforce:salary_grids", allowed=MANAGERS),
    Route("workforce:contract_detail", allowed=DOSSIER, kwargs=contract, status=OTHER_ORG_404),
    Route(
        "workforce:contract_update",
        allowed={"coordinator_a", "director_a"},
        kwargs=contract,
        status={"coordinator_b": 404},
    ),
    Route(
        "workforce:contract_create",
        allowed={"coordinator_a", "director_a"},
        kwargs=peer_kwargs,
        status={"coordinator_b": 404},
    ),
    # Charters
    Route("workforce:charter_list", allowed=ORG_ROLES),
    Route("workforce:charter_list_export", allowed=MANAGERS, query="format=xlsx"),
    Route(
        "workforce:charter_create",
        allowed={"coordinator_a"},
        kwargs=peer_kwargs,
        status={"coordinator_b": 404},
    ),
    Route(
        "workforce:charter_detail",
        allowed=DOSSIER | {"professional_a"},
        kwargs=charter,
        status=OTHER_ORG_404,
    ),
    Route(
        "workforce:charter_print",
        allowed=DOSSIER | {"professional_a"},
        kwargs=charter,
        status=OTHER_ORG_404,
    ),
    Route(
        "workforce:charter_pdf",
        allowed=DOSSIER | {"professional_a"},
        kwargs=charter,
        status=OTHER_ORG_404,
    ),
    Route(
        "workforce:charter_update",
        allowed={"coordinator_a"},
        kwargs=charter,
        status={"coordinator_b": 404},
    ),
    Route(
        "workforce:charter_sign",
        method="post",
        allowed={"peer_a", "professional_a", "coordinator_a"},
        ok_status=302,
        kwargs=charter,
        status=OTHER_ORG_404,
    ),
    Route(
        "workforce:charter_new_version",
        method="post",
        allowed={"coordinator_a"},
        ok_status=302,
        kwargs=charter,
        status={"coordinator_b": 404},
    ),
    # Trainings
    Route("workforce:training_list", allowed=MANAGERS),
    Route("workforce:training_list_export", allowed=MANAGERS, query="format=xlsx"),
    Route("workforce:training_create", allowed=DOSSIER, kwargs=peer_kwargs, status=OTHER_ORG_404),
    Route("workforce:training_update", allowed=DOSSIER, kwargs=training, status=OTHER_ORG_404),
    Route(
        "workforce:certificate",
        allowed=DOSSIER,
        kwargs=training_with_certificate,
        status=OTHER_ORG_404,
    ),
    # Competencies
    Route("workforce:framework_list", allowed=ORG_ROLES),
    Route(
        "workforce:framework_detail",
        allowed={"peer_a", "professional_a", "coordinator_a", "director_a"},
        kwargs=framework,
        status=OTHER_ORG_404,
    ),
    Route(
        "workforce:portfolio",
        allowed=DOSSIER,
        kwargs=peer_kwargs,
        status={**OTHER_ORG_404, "professional_a": 404},
    ),
    Route(
        "workforce:assessment_create",
        allowed={"peer_a", "coordinator_a"},
        kwargs=peer_kwargs,
        status={**OTHER_ORG_404, "professional_a": 404},
    ),
    # Code of conduct
    Route("workforce:conduct_current", allowed=ORG_ROLES),
    Route(
        "workforce:conduct_acknowledge",
        method="post",
        allowed=ORG_ROLES - {"director_a"},
        ok_status=302,
    ),
    Route("workforce:conduct_new_version", allowed=COORDINATORS),
    Route("workforce:conduct_acknowledgements", allowed=MANAGERS),
    # Ethics journal: private to its author
    Route("workforce:journal_list", allowed=PEERS),
    Route("workforce:journal_create", allowed=PEERS),
    Route(
        "workforce:journal_detail",
        allowed={"peer_a"},
        kwargs=journal_entry,
        status={
            "professional_a": 404,
            "coordinator_a": 404,
            "director_a": 404,
            "peer_b": 404,
            "coordinator_b": 404,
        },
    ),
    Route(
        "workforce:journal_update",
        allowed={"peer_a"},
        kwargs=journal_entry,
        status={"peer_b": 404},
    ),
    # Supervision
    Route("workforce:supervision_list", allowed=ORG_ROLES),
    Route("workforce:supervision_list_export", allowed=MANAGERS, query="format=xlsx"),
    Route("workforce:supervision_create", allowed=COORDINATORS),
    Route(
        "workforce:supervision_detail",
        allowed=DOSSIER,
        kwargs=session,
        status={**OTHER_ORG_404, "professional_a": 404},
    ),
    # Mentoring
    Route("workforce:mentoring_list", allowed=ORG_ROLES),
    Route("workforce:mentoring_list_export", allowed=MANAGERS, query="format=xlsx"),
    Route("workforce:mentoring_create", allowed=COORDINATORS),
    Route(
        "workforce:mentoring_detail",
        allowed=DOSSIER | {"professional_a"},
        kwargs=mentoring,
        status=OTHER_ORG_404,
    ),
    Route(
        "workforce:mentoring_meeting_create",
        method="post",
        allowed={"peer_a", "professional_a", "coordinator_a"},
        kwargs=mentoring,
        status=OTHER_ORG_404,
    ),
]
