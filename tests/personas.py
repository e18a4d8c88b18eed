"""The world every access test starts from: two organisations, their people, and observers.

Persona keys (used by the authorization matrix):
    anonymous, peer_a, professional_a, coordinator_a, director_a,
    peer_b, coordinator_b, regional_observer, national_observer, admin
Org A and org B are two health establishments of the same region (Hauts-de-France).
"""

from dataclasses import dataclass, field

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from entrepairs.core.roles import Role
from entrepairs.territory.models import Organisation

from .factories import (
    CommuneFactory,
    DeploymentFactory,
    FacilityFactory,
    MembershipFactory,
    OrganisationFactory,
    PeerWorkerFactory,
    SectorFactory,
    TOTPDeviceFactory,
    UserFactory,
)

PERSONAS = (
    "anonymous",
    "peer_a",
    "professional_a",
    "coordinator_a",
    "director_a",
    "peer_b",
    "coordinator_b",
    "regional_observer",
    "national_observer",
    "admin",
)


def login(client: Client, user) -> Client:
    """Log ``user`` in with a verified second factor, as after a real TOTP step."""
    device = user.totpdevice_set.filter(confirmed=True).first() or TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    facility_a: object
    facility_b: object
    sector_a: object
    commune_a: object
    memberships: dict = field(default_factory=dict)
    peers: dict = field(default_factory=dict)
    _clients: dict = field(default_factory=dict)

    def org(self, key: str) -> Organisation:
        return {"a": self.org_a, "b": self.org_b}[key]

    def facility(self, key: str):
        return {"a": self.facility_a, "b": self.facility_b}[key]

    def user(self, persona: str):
        return self.memberships[persona].user

    def membership(self, persona: str):
        return self.memberships[persona]

    def peer(self, persona: str):
        """PeerWorker record of peer_a or peer_b."""
        return self.peers[persona]

    def client(self, persona: str) -> Client:
        if persona not in self._clients:
            client = Client()
            if persona != "anonymous":
                login(client, self.user(persona))
            self._clients[persona] = client
        return self._clients[persona]


def build_world() -> World:
    commune_a = CommuneFactory(code="59350", name="Lille")
    org_a = OrganisationFactory(name="EPSM Alpha", finess_et="590000001")
    org_b = OrganisationFactory(name="CH Bêta", finess_et="590000002")
    sector_a = SectorFactory(code="59G21", organisation=org_a)
    sector_a.communes.add(commune_a)
    facility_a = FacilityFactory(name="CMP Alpha", organisation=org_a, sector=sector_a)
    facility_b = FacilityFactory(name="CMP Bêta", organisation=org_b)
    ars = OrganisationFactory(
        name="ARS Hauts-de-France", kind=Organisation.Kind.ARS, finess_et="590000003"
    )
    observatory = OrganisationFactory(
        name="Observatoire national", kind=Organisation.Kind.NATIONAL_OBSERVATORY, finess_et=""
    )
    world = World(org_a, org_b, facility_a, facility_b, sector_a, commune_a)
    spec = {
        "peer_a": (org_a, Role.PEER, [facility_a]),
        "professional_a": (org_a, Role.PROFESSIONAL, [facility_a]),
        "coordinator_a": (org_a, Role.COORDINATOR, []),
        "director_a": (org_a, Role.DIRECTOR, []),
        "peer_b": (org_b, Role.PEER, [facility_b]),
        "coordinator_b": (org_b, Role.COORDINATOR, []),
        "regional_observer": (ars, Role.REGIONAL_OBSERVER, []),
        "national_observer": (observatory, Role.NATIONAL_OBSERVER, []),
        "admin": (observatory, Role.ADMIN, []),
    }
    for persona, (org, role, facilities) in spec.items():
        user = UserFactory(
            email=f"{persona}@example.org",
            is_staff=persona == "admin",
            is_superuser=persona == "admin",
        )
        world.memberships[persona] = MembershipFactory(
            user=user, organisation=org, role=role, facilities=facilities
        )
    for persona, facility in (("peer_a", facility_a), ("peer_b", facility_b)):
        peer = PeerWorkerFactory(
            user=world.user(persona),
            employer=facility.organisation,
            first_name=world.user(persona).first_name,
            last_name=world.user(persona).last_name,
        )
        DeploymentFactory(peer=peer, facility=facility, time_share="0.80")
        world.peers[persona] = peer
    return world
