"""Demo accounts: one login per role, each with a TOTP device whose secret is printed."""

import hashlib

from django_otp.plugins.otp_totp.models import TOTPDevice

from entrepairs.accounts.models import Membership, User
from entrepairs.core.roles import Role
from entrepairs.demo.context import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD

# (local part, role, which organisation, first name, last name)
DEMO_LOGINS = [
    ("pair", Role.PEER, 0, "Camille", "Lemoine"),
    ("soignant", Role.PROFESSIONAL, 0, "Nadia", "Benali"),
    ("coordination", Role.COORDINATOR, 0, "Julien", "Moreau"),
    ("direction", Role.DIRECTOR, 0, "Hélène", "Garnier"),
    ("pair2", Role.PEER, 1, "Yanis", "Robert"),
    ("coordination2", Role.COORDINATOR, 1, "Sophie", "Marchand"),
    # The association's side of its seconded peers (only the employer edits them).
    ("association", Role.COORDINATOR, "association", "Karim", "Haddad"),
    ("ars", Role.REGIONAL_OBSERVER, "ars", "Marc", "Leroy"),
    ("observatoire", Role.NATIONAL_OBSERVER, "observatory", "Inès", "Dupuis"),
    ("admin", Role.ADMIN, "observatory", "Paul", "Admin"),
]


def totp_key_for(email: str, seed: int) -> str:
    """Deterministic demo secret, so that an authenticator set up once keeps working."""
    return hashlib.sha256(f"entrepairs-demo-{seed}-{email}".encode()).hexdigest()[:40]


def make_user(ctx, email, first_name, last_name, **extra) -> User:
    user = User(email=email, first_name=first_name, last_name=last_name, **extra)
    user.set_password(DEMO_PASSWORD)
    user.save()
    TOTPDevice.objects.create(
        user=user, name="Démo", confirmed=True, key=totp_key_for(email, ctx.seed)
    )
    return user


def add_membership(ctx, user, org, role, facilities=()):
    membership = Membership.objects.create(user=user, organisation=org, role=role)
    if facilities:
        membership.facilities.set(facilities)
    ctx.memberships.setdefault((org.pk, role), []).append(membership)
    return membership


def generate(ctx):
    orgs = ctx.organisations
    targets = {"ars": ctx.ars, "observatory": ctx.observatory, "association": ctx.association}
    for local, role, where, first, last in DEMO_LOGINS:
        org = targets.get(where) if isinstance(where, str) else orgs[min(where, len(orgs) - 1)]
        user = make_user(
            ctx,
            f"{local}@{DEMO_EMAIL_DOMAIN}",
            first,
            last,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        facilities = (
            ctx.facilities.get(org.pk, [])[:2] if role in (Role.PEER, Role.PROFESSIONAL) else ()
        )
        add_membership(ctx, user, org, role, facilities)
    ctx.count("comptes de démonstration", len(DEMO_LOGINS))
