"""Demo programmes: one per demo establishment, with a dated status history, its place in the
projet d'établissement and the QVT approach, funding lines (some ending soon), the facilities
it covers and its referent.

Runs before the workforce demo, which hires peers only after the programme started, in the
facilities the programme covers, on contracts whose kinds follow the programme's maturity.

The mix follows the source document: about 40 % of programmes still experimental, the rest
pilots or made permanent (``STATUS_SHARES``), whatever the scale.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from entrepairs.accounts.demo import add_membership, make_user
from entrepairs.core.roles import Role
from entrepairs.demo.context import DEMO_EMAIL_DOMAIN

from .models import Funding, Programme, Status, StatusChange

STATUS_SHARES = [(Status.EXPERIMENTAL, 0.4), (Status.PILOT, 0.35), (Status.SUSTAINED, 0.25)]
DAY = datetime.timedelta(days=1)
YEAR = 365 * DAY
# A peer's full-time post costs the employer about this much a year (salary and charges).
COST_PER_FTE_YEAR = 42_000


def statuses_for(count: int, rng) -> list[str]:
    """``count`` current statuses in the shares of STATUS_SHARES (largest remainders), the
    first establishment (the demo logins') a pilot so that its history has two steps."""
    quotas = [(status, share * count) for status, share in STATUS_SHARES]
    result = {status: int(q) for status, q in quotas}
    left = count - sum(result.values())
    for status, _q in sorted(quotas, key=lambda sq: sq[1] - int(sq[1]), reverse=True)[:left]:
        result[status] += 1
    flat = [s for s, _q in quotas for _ in range(result[s])]
    if count and Status.PILOT in flat:
        flat.remove(Status.PILOT)
        rng.shuffle(flat)
        return [Status.PILOT, *flat]
    rng.shuffle(flat)
    return flat


def coordinator_of(ctx, org):
    existing = ctx.memberships.get((org.pk, Role.COORDINATOR))
    if existing:
        return existing[0]
    user = make_user(
        ctx,
        f"coordination.{org.pk}@{DEMO_EMAIL_DOMAIN}",
        ctx.faker.first_name(),
        ctx.faker.last_name(),
    )
    return add_membership(ctx, user, org, Role.COORDINATOR)


def _history(ctx, status, started, today):
    """[(status, day, note)] ending in ``status``; each step at least a year after the last."""
    rng = ctx.rng
    steps = [(Status.EXPERIMENTAL, started, "Lancement de l'expérimentation")]
    if status == Status.EXPERIMENTAL:
        return steps
    pilot = started + DAY * rng.randint(365, 600)
    steps.append((Status.PILOT, pilot, "Décision du directoire : passage en phase pilote"))
    if status == Status.SUSTAINED:
        sustained = min(pilot + DAY * rng.randint(365, 540), today - 30 * DAY)
        steps.append((Status.SUSTAINED, sustained, "Postes inscrits au budget de l'établissement"))
    return steps


def _fundings(ctx, programme, status, steps, today, ftes):
    rng = ctx.rng
    yearly = Decimal(round(COST_PER_FTE_YEAR * ftes, -3))
    lines = []

    def line(source, label, start, years, permanent=False, share=1.0):
        end = None if permanent else start + DAY * round(365 * years) - DAY
        amount = yearly * Decimal(str(round(years, 2)) if not permanent else 1)
        amount *= Decimal(str(share))
        lines.append(
            Funding(
                programme=programme,
                source=source,
                label=label,
                amount=max(Decimal(1000), round(amount, -3)),
                starts_on=start,
                ends_on=end,
            )
        )

    started = programme.started_on
    if status == Status.EXPERIMENTAL:
        # Experimental credits for three years, ending within the next months for some.
        source = rng.choice([Funding.Source.FIOP, Funding.Source.FIR])
        label = (
            f"Appel à projets {started.year}"
            if source == Funding.Source.FIOP
            else "Crédits non reconductibles"
        )
        ends = today + DAY * rng.choice([45, 120, 150, 320, 500])
        years = (ends - started).days / 365
        line(source, label, started, years)
        if rng.random() < 0.4:
            line(
                Funding.Source.ASSOCIATION,
                "Association d'usagers partenaire",
                started,
                1,
                share=0.2,
            )
    elif status == Status.PILOT:
        pilot_on = steps[1][1]
        line(
            Funding.Source.FIOP,
            "Expérimentation initiale",
            started,
            (pilot_on - started).days / 365,
        )
        line(Funding.Source.FIR, "Phase pilote", pilot_on, 2)
        line(Funding.Source.OWN_BUDGET, "Part de l'établissement", pilot_on, 1, permanent=True)
    else:
        pilot_on, sustained_on = steps[1][1], steps[2][1]
        line(
            Funding.Source.FIR,
            "Expérimentation puis pilote",
            started,
            (sustained_on - started).days / 365,
        )
        line(Funding.Source.OWN_BUDGET, "Postes pérennes", sustained_on, 1, permanent=True)
        if rng.random() < 0.5:
            line(Funding.Source.OTHER, "Fondation (ateliers de groupe)", pilot_on, 2, share=0.1)
    for funding in lines:
        if funding.ends_on is not None and funding.ends_on <= funding.starts_on:
            funding.ends_on = funding.starts_on + YEAR
    return lines


def generate(ctx):
    today = timezone.localdate()
    statuses = statuses_for(len(ctx.organisations), ctx.rng)
    changes, fundings = [], []
    for org, status in zip(ctx.organisations, statuses, strict=True):
        age_years = {Status.EXPERIMENTAL: (1, 3), Status.PILOT: (2, 4), Status.SUSTAINED: (3, 6)}
        low, high = age_years[status]
        started = today - DAY * ctx.rng.randint(365 * low + 30, 365 * high)
        steps = _history(ctx, status, started, today)
        facilities = ctx.facilities.get(org.pk, [])
        share = {Status.EXPERIMENTAL: 0.35, Status.PILOT: 0.6, Status.SUSTAINED: 0.85}[status]
        covered = ctx.rng.sample(
            facilities, k=max(min(2, len(facilities)), round(share * len(facilities)))
        )
        in_project = {Status.EXPERIMENTAL: 0.1, Status.PILOT: 0.5, Status.SUSTAINED: 1.0}[status]
        in_qvt = {Status.EXPERIMENTAL: 0.05, Status.PILOT: 0.3, Status.SUSTAINED: 0.7}[status]
        project_on = (
            steps[-1][1] - DAY * ctx.rng.randint(0, 90) if ctx.rng.random() < in_project else None
        )
        qvt = ctx.rng.random() < in_qvt
        programme = Programme.objects.create(
            organisation=org,
            name="Programme de pair-aidance",
            started_on=started,
            establishment_project_on=max(project_on, started) if project_on else None,
            in_qvt_approach=qvt,
            qvt_on=min(today, steps[-1][1] + DAY * ctx.rng.randint(30, 200))
            if qvt and ctx.rng.random() < 0.7
            else None,
            referent=coordinator_of(ctx, org),
        )
        programme.facilities.set(covered)
        ctx.programmes[org.pk] = programme
        ctx.covered[org.pk] = covered
        for step_status, day, note in steps:
            changes.append(
                StatusChange(programme=programme, status=step_status, effective_on=day, note=note)
            )
        ftes = max(1, round(ctx.scale.peers_per_establishment * 0.7))
        fundings.extend(_fundings(ctx, programme, status, steps, today, ftes))
    StatusChange.objects.bulk_create(changes)
    Funding.objects.bulk_create(fundings)
    ctx.count("programmes de pair-aidance", len(ctx.programmes))
    ctx.count("changements de statut de programme", len(changes))
    ctx.count("financements de programme", len(fundings))
