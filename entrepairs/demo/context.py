"""What every app's demo generator receives. Deterministic: all randomness comes from ``rng``."""

import random
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import CommandError
from faker import Faker

DEMO_EMAIL_DOMAIN = "demo.entrepairs.fr"
DEMO_PASSWORD = "demo-entrepairs-2026"  # noqa: S105 printed by make run, refused in production
REFUSED = "Commande de démonstration refusée avec ces réglages (production)."


def refuse_without_demo_tools() -> None:
    """The demo commands create or print accounts anyone can log into: never in production.

    Production settings do not even install this app (``manage.py`` then answers in French,
    see ``refuse_demo_commands``); this guard covers any other settings that turn the tools
    off (``ENTREPAIRS_DEMO_TOOLS = False``)."""
    if not settings.ENTREPAIRS_DEMO_TOOLS:
        raise CommandError(REFUSED)


@dataclass(frozen=True)
class Scale:
    name: str
    establishments: int
    peers_per_establishment: int
    persons_per_peer: int
    encounters_per_person: int
    groups_per_establishment: int


SCALES = {
    "small": Scale("small", 3, 4, 6, 6, 2),
    # medium: >= 200 peers, 20,000 persons, 300,000 encounters (the benchmark volume).
    "medium": Scale("medium", 40, 5, 100, 15, 4),
    "national": Scale("national", 619, 3, 60, 12, 3),
}


@dataclass
class DemoContext:
    scale: Scale
    seed: int
    rng: random.Random
    faker: Faker
    stdout: object = None
    organisations: list = field(default_factory=list)  # health establishments of the demo
    association: object = None
    facilities: dict = field(default_factory=dict)  # organisation id -> [Facility]
    peers: dict = field(default_factory=dict)  # organisation id -> [PeerWorker]
    memberships: dict = field(default_factory=dict)  # (organisation id, role) -> [Membership]
    programmes: dict = field(default_factory=dict)  # organisation id -> Programme
    covered: dict = field(default_factory=dict)  # organisation id -> [Facility] of its programme
    # peer id -> (first day of work, last day or None): nothing of a peer's work lies outside.
    peer_periods: dict = field(default_factory=dict)
    created: dict = field(default_factory=dict)  # label -> count, for the final summary

    @classmethod
    def make(cls, scale: str, seed: int, stdout=None):
        faker = Faker("fr_FR")
        faker.seed_instance(seed)
        return cls(SCALES[scale], seed, random.Random(seed), faker, stdout)

    def count(self, label: str, n: int = 1) -> None:
        self.created[label] = self.created.get(label, 0) + n

    def peer_period(self, peer, today):
        """(first day, last day) of a peer's work; a peer unknown to the context worked the
        whole demo history."""
        start, end = self.peer_periods.get(peer.pk, (None, None))
        return start, end or today

    def say(self, message: str) -> None:
        if self.stdout:
            self.stdout.write(message)
