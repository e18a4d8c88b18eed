"""Demo peer workers: the demo peer logins first, then more peers per establishment."""

from decimal import Decimal

from entrepairs.accounts.demo import add_membership, make_user
from entrepairs.accounts.roles import Role
from entrepairs.demo.context import DEMO_EMAIL_DOMAIN
from entrepairs.workforce.models import Deployment, PeerWorker

TITLES = list(PeerWorker.Title)
STATUSES = [PeerWorker.Status.IN_POST] * 6 + [
    PeerWorker.Status.TRAINING,
    PeerWorker.Status.RECRUITING,
    PeerWorker.Status.LEFT,
]


def generate(ctx):
    for org_index, org in enumerate(ctx.organisations):
        facilities = ctx.facilities[org.pk]
        existing = [m.user for m in ctx.memberships.get((org.pk, Role.PEER), [])]
        peers = []
        for n in range(ctx.scale.peers_per_establishment):
            if n < len(existing):
                user = existing[n]
            else:
                user = make_user(
                    ctx,
                    f"pair.{org_index}.{n}@{DEMO_EMAIL_DOMAIN}",
                    ctx.faker.first_name(),
                    ctx.faker.last_name(),
                )
            peer = PeerWorker.objects.create(
                user=user,
                first_name=user.first_name,
                last_name=user.last_name,
                title=ctx.rng.choice(TITLES),
                status=PeerWorker.Status.IN_POST if n == 0 else ctx.rng.choice(STATUSES),
                employer=org if ctx.rng.random() > 0.15 else ctx.association,
                host_organisation=org,
            )
            places = ctx.rng.sample(facilities, k=min(2, len(facilities)))
            shares = (Decimal("0.60"), Decimal("0.40")) if len(places) == 2 else (Decimal("1"),)
            for facility, share in zip(places, shares, strict=False):
                Deployment.objects.create(peer=peer, facility=facility, time_share=share)
            if n >= len(existing):
                add_membership(ctx, user, org, Role.PEER, places)
            else:
                ctx.memberships[(org.pk, Role.PEER)][n].facilities.set(places)
            peers.append(peer)
        ctx.peers[org.pk] = peers
        ctx.count("pairs-aidant·es", len(peers))
