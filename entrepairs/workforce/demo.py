"""Demo peer workers: the demo peer logins first, then more peers per establishment.

Then their dossier: contracts (some ending soon), trainings, self-assessments, mission charters
(fully signed, partly signed or missing), code of conduct acknowledgements, supervision
sessions (some peers overdue), mentoring pairs and a few ethics journal entries.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from entrepairs.accounts.demo import add_membership, make_user
from entrepairs.core.roles import Role
from entrepairs.demo.context import DEMO_EMAIL_DOMAIN
from entrepairs.workforce.models import (
    Assessment,
    CharterSignature,
    CodeOfConduct,
    Competency,
    ConductAcknowledgement,
    Contract,
    Deployment,
    EthicsJournalEntry,
    Mentoring,
    MentoringMeeting,
    MissionCharter,
    PeerWorker,
    SalaryStep,
    SupervisionSession,
    Training,
)
from entrepairs.workforce.models.charters import DEFAULT_OUT_OF_SCOPE

TITLES = list(PeerWorker.Title)
STATUSES = [PeerWorker.Status.IN_POST] * 6 + [
    PeerWorker.Status.TRAINING,
    PeerWorker.Status.RECRUITING,
    PeerWorker.Status.LEFT,
]
# Contract kinds by the programme's current status: precarious contracts dominate while a
# programme is experimental (the source document's finding), CDI and hospital posts once
# it is made permanent. (kind, weight)
KIND_WEIGHTS = {
    "experimental": [
        ("cdd", 40),
        ("pec", 15),
        ("vacataire", 10),
        ("benevole", 5),
        ("fph", 15),
        ("cdi", 15),
    ],
    "pilot": [
        ("cdd", 30),
        ("pec", 10),
        ("vacataire", 5),
        ("benevole", 5),
        ("fph", 25),
        ("cdi", 25),
    ],
    "sustained": [("cdd", 15), ("pec", 5), ("fph", 35), ("cdi", 45)],
}
# What pays a contract, by the programme's current status.
FUNDING_WEIGHTS = {
    "experimental": [("innovation", 50), ("ars", 40), ("etablissement", 10)],
    "pilot": [("ars", 50), ("etablissement", 40), ("innovation", 10)],
    "sustained": [("etablissement", 85), ("ars", 15)],
}


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
            # Peers work where the programme runs.
            where = ctx.covered.get(org.pk) or facilities
            places = ctx.rng.sample(where, k=min(2, len(where)))
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
    generate_dossiers(ctx)


DAY = datetime.timedelta(days=1)
TRAININGS = [
    ("du", "DU pair-aidance en santé mentale", "Université Lyon 1"),
    (
        "licence",
        "Licence sciences sanitaires et sociales, option médiateur de santé pair",
        "Université Paris 8",
    ),
    ("courte", "Se présenter et poser son rôle en équipe", "CCOMS"),
    ("continue", "Animer un groupe d'entraide", "Association de pairs"),
    ("croisee", "Formation croisée pairs / soignants : le rétablissement", "IFSI du territoire"),
]
TOPICS = [
    "présentation des rôles",
    "savoir expérientiel",
    "réunion d'équipe",
    "limites",
    "orientation",
]


def _manager(ctx, org, role, local, facilities=()):
    existing = ctx.memberships.get((org.pk, role))
    if existing:
        membership = existing[0]
    else:
        user = make_user(
            ctx,
            f"{local}.{org.pk}@{DEMO_EMAIL_DOMAIN}",
            ctx.faker.first_name(),
            ctx.faker.last_name(),
        )
        membership = add_membership(ctx, user, org, role, facilities)
    if facilities:
        membership.facilities.add(*facilities)
    return membership


def generate_dossiers(ctx):
    today = timezone.localdate()
    steps = list(SalaryStep.objects.filter(grid__is_example=True).order_by("order"))
    competencies = list(Competency.objects.filter(domain__framework__organisation__isnull=True))
    code = CodeOfConduct.objects.filter(organisation__isnull=True).order_by("-version").first()
    for org in ctx.organisations:
        peers = ctx.peers.get(org.pk, [])
        if not peers:
            continue
        facilities = ctx.facilities[org.pk]
        coordinator = _manager(ctx, org, Role.COORDINATOR, "coordination")
        lead = _manager(ctx, org, Role.PROFESSIONAL, "cadre", facilities)
        peer_memberships = {m.user_id: m for m in ctx.memberships.get((org.pk, Role.PEER), [])}
        contracts, trainings, assessments, acks = [], [], [], []
        programme = ctx.programmes.get(org.pk)
        status = programme.status_on(today) if programme else "pilot"
        opened = programme.started_on if programme else today - DAY * 1200
        for peer in peers:
            peer_contracts = _contracts(ctx, peer, today, steps, status, opened)
            contracts.extend(peer_contracts)
            ctx.peer_periods[peer.pk] = _period(peer, peer_contracts, today)
            trainings.extend(_trainings(ctx, peer, today, ctx.peer_periods[peer.pk]))
            assessments.extend(
                _assessments(ctx, peer, today, competencies, ctx.peer_periods[peer.pk])
            )
            member = peer_memberships.get(peer.user_id)
            if code and member and ctx.rng.random() < 0.7:
                acks.append(ConductAcknowledgement(code=code, membership=member))
        if code:
            acks.append(ConductAcknowledgement(code=code, membership=lead))
        Contract.objects.bulk_create(contracts)
        Training.objects.bulk_create(trainings)
        Assessment.objects.bulk_create(assessments)
        ConductAcknowledgement.objects.bulk_create(acks)
        ctx.count("contrats", len(contracts))
        ctx.count("formations", len(trainings))
        ctx.count("auto-évaluations de compétences", len(assessments))
        ctx.count("prises de connaissance du code de déontologie", len(acks))
        # One peer per organisation always goes without supervision lately (dashboard warning).
        late = next((p for p in reversed(peers) if p.status != PeerWorker.Status.LEFT), None)
        _charters(ctx, org, peers, peer_memberships, lead, coordinator, today, late)
        _supervision(ctx, org, peers, lead, today, late)
        _mentoring(ctx, org, peers, peer_memberships, lead, today)


def _period(peer, contracts, today):
    """(first day of work, last day or None) from the peer's contracts; a peer still being
    recruited has not started (first day None)."""
    if peer.status == PeerWorker.Status.RECRUITING or not contracts:
        return (None, None)
    first = min(c.start for c in contracts)
    if peer.status == PeerWorker.Status.LEFT:
        return (first, max(c.end for c in contracts))
    return (first, None)


def _weighted(rng, pairs):
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs], k=1)[0]


def _contracts(ctx, peer, today, steps, status, opened):
    """The peer's contracts, all after the programme opened: none yet for a peer being
    recruited, ended for one who left, current otherwise (with an earlier CDD for some)."""
    if peer.status == PeerWorker.Status.RECRUITING:
        return []
    rng = ctx.rng
    seconded = peer.employer.kind == peer.employer.Kind.ASSOCIATION
    kind = "mad" if seconded else _weighted(rng, KIND_WEIGHTS.get(status, KIND_WEIGHTS["pilot"]))
    funding = (
        "association"
        if seconded
        else _weighted(rng, FUNDING_WEIGHTS.get(status, FUNDING_WEIGHTS["pilot"]))
    )
    days_open = max(60, (today - opened).days)
    start = today - DAY * rng.randint(min(60, days_open), min(900, days_open))
    if peer.status == PeerWorker.Status.TRAINING:
        start = today - DAY * rng.randint(20, min(200, days_open))
    fixed = kind in ("cdd", "pec", "vacataire") or (kind == "fph" and rng.random() < 0.5)
    # Some fixed-term contracts end within 90 days, for the reminder and the dashboard.
    end = today + DAY * rng.choice([20, 45, 80, 150, 300]) if fixed else None
    if peer.status == PeerWorker.Status.LEFT:
        start = min(start, today - DAY * 120)
        end = today - DAY * rng.randint(10, max(11, min(100, (today - start).days - 30)))
    step = rng.choice(steps) if steps and kind != "benevole" else None
    fte = (
        Decimal("0.20")
        if kind == "benevole"
        else rng.choice([Decimal("0.5"), Decimal("0.8"), Decimal("1")])
    )
    current = Contract(
        peer=peer,
        kind=kind,
        employer=peer.employer,
        start=start,
        end=end,
        fte=fte,
        grade=step,
        gross_monthly_pay=step.gross_monthly * fte if step else None,
        funding=funding,
    )
    result = [current]
    earlier = start - DAY * 365
    # An earlier CDD with the same employer (a history), when the programme was open then.
    if not seconded and rng.random() < 0.5 and earlier >= opened:
        result.append(
            Contract(
                peer=peer,
                kind="cdd",
                employer=peer.employer,
                start=earlier,
                end=start - DAY,
                fte=fte,
                funding=funding,
            )
        )
    return result


TRAINING_MONTHS = {"du": 10, "licence": 12, "courte": 1, "continue": 2, "croisee": 1}


def _trainings(ctx, peer, today, period):
    """Trainings that fit the peer's story: a peer "en formation" has one in progress; an
    obtained or abandoned training has ended, in the past; one in progress is recent."""
    rng = ctx.rng
    first, _last = period
    result = []
    picks = rng.sample(TRAININGS, k=rng.randint(0, 2))
    if peer.status == PeerWorker.Status.TRAINING and not any(k == "du" for k, *_r in picks):
        picks = [TRAININGS[0], *picks[:1]]
    for kind, title, provider in picks:
        length = DAY * 30 * TRAINING_MONTHS[kind]
        in_progress = peer.status == PeerWorker.Status.TRAINING and kind == "du"
        if in_progress:
            start = today - DAY * rng.randint(20, 200)
            status = Training.Status.IN_PROGRESS
        else:
            # Before or during the peer's work, finished by today.
            earliest = (first or today) - DAY * 700
            start = earliest + DAY * rng.randint(0, max(0, (today - length - earliest).days))
            status = rng.choice([Training.Status.OBTAINED] * 4 + [Training.Status.ABANDONED])
        end = None if in_progress else min(today, start + length)
        if status == Training.Status.ABANDONED:
            end = start + length / 2
        result.append(
            Training(
                peer=peer,
                kind=kind,
                title=title,
                provider=provider,
                start=start,
                end=end,
                status=status,
            )
        )
    return result


def _assessments(ctx, peer, today, competencies, period):
    """Two self-assessments while the peer works: early on, and a month ago."""
    first, last = period
    if not competencies or peer.user_id is None or first is None or ctx.rng.random() < 0.3:
        return []
    last = last or today
    early = max(first + DAY * 14, today - DAY * 240)
    late = min(last, today - DAY * 30)
    days = [(early, 0)] + ([(late, 1)] if late >= early + DAY * 60 else [])
    result = []
    for day, bonus in days:
        if day > last:
            continue
        for competency in competencies:
            result.append(
                Assessment(
                    peer=peer,
                    competency=competency,
                    assessor=Assessment.Assessor.SELF,
                    assessed_by_id=peer.user_id,
                    date=day,
                    level=min(4, ctx.rng.randint(1, 3) + bonus),
                )
            )
    return result


def _charters(ctx, org, peers, peer_memberships, lead, coordinator, today, late):
    charters, signatures = [], []
    deployments = Deployment.objects.filter(peer__in=peers).select_related("peer")
    for d in deployments:
        member = peer_memberships.get(d.peer.user_id)
        draw = ctx.rng.random() if d.peer != late else 0.5
        first, last = ctx.peer_period(d.peer, today)
        if draw < 0.2 or member is None or first is None:
            continue  # missing charter (none before the peer is hired)
        individual = ctx.rng.choice([40, 50, 60])
        groups = ctx.rng.choice([20, 30])
        parties = 3 if draw < 0.75 else ctx.rng.choice([0, 1, 2])
        # Signed in the peer's first weeks, at least three days before today.
        latest = max(0, ((last or today) - first).days - 3)
        signed_on = first + DAY * ctx.rng.randint(0, min(60, latest))
        signed_at = timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(11)))
        charter = MissionCharter(
            peer=d.peer,
            facility=d.facility,
            version=1,
            share_individual=individual,
            share_groups=groups,
            share_institutional=100 - individual - groups,
            tasks_in_scope="Accueil et soutien individuel, co-animation d'un groupe d'entraide, "
            "participation aux réunions d'équipe et aux actions de sensibilisation.",
            out_of_scope=DEFAULT_OUT_OF_SCOPE,
            referent=lead,
            team_lead=lead,
            supervision_every_weeks=ctx.rng.choice([4, 6, 8]),
            shared_with_team="Les rendez-vous pris et les orientations proposées, avec l'accord de la personne.",
            stays_private="Ce que la personne confie de son histoire et de ses difficultés.",
            review_by=today + DAY * ctx.rng.randint(10, 400),
            created_by=coordinator.user,
            fully_signed_at=signed_at + DAY * 2 if parties == 3 else None,
        )
        charters.append((charter, parties, member, signed_at))
    MissionCharter.objects.bulk_create([c for c, *_ in charters])
    for charter, parties, member, signed_at in charters:
        who = [
            (MissionCharter.Party.PEER, member),
            (MissionCharter.Party.TEAM_LEAD, lead),
            (MissionCharter.Party.COORDINATOR, coordinator),
        ]
        for i, (party, membership) in enumerate(who[:parties]):
            signatures.append(
                CharterSignature(
                    charter=charter,
                    party=party,
                    user_id=membership.user_id,
                    membership=membership,
                    signed_at=signed_at + DAY * i,
                )
            )
    CharterSignature.objects.bulk_create(signatures)
    ctx.count("fiches de mission", len(charters))
    ctx.count("signatures de fiches de mission", len(signatures))


def _working_on(ctx, peers, day, today):
    result = []
    for peer in peers:
        first, last = ctx.peer_period(peer, today)
        if first is not None and first <= day <= last:
            result.append(peer)
    return result


def _supervision(ctx, org, peers, lead, today, late):
    active = [
        p for p in peers if p.status not in (PeerWorker.Status.LEFT, PeerWorker.Status.RECRUITING)
    ]
    # Some peers are left out of recent sessions: their supervision is overdue.
    regulars = [p for p in active if p != late and ctx.rng.random() > 0.2] or active[:1]
    count = 0
    for weeks_ago in range(2, 30, 4):
        day = today - datetime.timedelta(weeks=weeks_ago)
        present = [
            p
            for p in (regulars if weeks_ago < 12 else active)
            if p in _working_on(ctx, peers, day, today)
        ]
        if not present:
            continue
        session = SupervisionSession.objects.create(
            organisation=org,
            date=day,
            kind=ctx.rng.choice(list(SupervisionSession.Kind)),
            duration_minutes=ctx.rng.choice([60, 90, 120]),
            facilitator="Psychologue extérieur·e au service",
        )
        session.participants.set(present)
        if ctx.rng.random() < 0.5:
            session.staff_participants.add(lead)
        count += 1
    ctx.count("séances de supervision", count)
    first = active[0] if active else None
    if first is not None and first.user_id:
        last = first.supervision_sessions.order_by("-date").first()
        EthicsJournalEntry.objects.bulk_create(
            [
                EthicsJournalEntry(
                    peer=first,
                    date=today - DAY * 40,
                    situation="Une personne accompagnée me propose de nous voir un week-end.",
                    question="Comment refuser sans casser le lien ?",
                    what_helped="Relire le code de déontologie ; en parler en supervision.",
                    brought_to=last,
                ),
                EthicsJournalEntry(
                    peer=first,
                    date=today - DAY * 10,
                    situation="En réunion, on me demande mon avis sur un traitement.",
                    question="Où s'arrête mon rôle ?",
                ),
            ]
        )
        ctx.count("réflexions du journal éthique", 2)


def _mentoring(ctx, org, peers, peer_memberships, lead, today):
    working = [
        p for p in peers if p.status in (PeerWorker.Status.IN_POST, PeerWorker.Status.TRAINING)
    ]
    members = [peer_memberships[p.user_id] for p in working if p.user_id in peer_memberships]
    first_day = {
        peer_memberships[p.user_id].pk: ctx.peer_period(p, today)[0]
        for p in working
        if p.user_id in peer_memberships
    }
    if not members:
        return
    pairs = [(lead, members[0])]
    if len(members) > 1:
        pairs.append((members[1], lead))
    if len(members) > 2:
        pairs.append((members[2], members[0]))
    meetings = []
    for mentor, mentee in pairs:
        mentoring = Mentoring.objects.create(
            organisation=org,
            mentor=mentor,
            mentee=mentee,
            goals="Découvrir le métier de l'autre et ajuster nos pratiques.",
            start=max(
                today - DAY * ctx.rng.randint(60, 200),
                first_day.get(mentor.pk) or today - DAY * 200,
                first_day.get(mentee.pk) or today - DAY * 200,
            ),
        )
        for k in range(ctx.rng.randint(1, 3)):
            if mentoring.start + DAY * (20 * (k + 1)) > today:
                break
            meetings.append(
                MentoringMeeting(
                    mentoring=mentoring,
                    date=mentoring.start + DAY * (20 * (k + 1)),
                    duration_minutes=60,
                    topics=ctx.rng.choice(TOPICS),
                )
            )
    MentoringMeeting.objects.bulk_create(meetings)
    ctx.count("mentorats", len(pairs))
