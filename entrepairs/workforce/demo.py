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
    generate_dossiers(ctx)


DAY = datetime.timedelta(days=1)
CURRENT_KINDS = ["cdi", "cdd", "cdd", "pec", "fph", "vacataire", "benevole"]
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
        for peer in peers:
            contracts.extend(_contracts(ctx, peer, today, steps))
            trainings.extend(_trainings(ctx, peer, today))
            assessments.extend(_assessments(ctx, peer, today, competencies))
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


def _contracts(ctx, peer, today, steps):
    kind = ctx.rng.choice(CURRENT_KINDS)
    start = today - DAY * ctx.rng.randint(60, 900)
    fixed = kind in ("cdd", "pec", "vacataire") or (kind == "fph" and ctx.rng.random() < 0.5)
    # Some fixed-term contracts end within 90 days, for the reminder and the dashboard.
    end = today + DAY * ctx.rng.choice([20, 45, 80, 150, 300]) if fixed else None
    step = ctx.rng.choice(steps) if steps and kind != "benevole" else None
    fte = (
        Decimal("0.20")
        if kind == "benevole"
        else ctx.rng.choice([Decimal("0.5"), Decimal("0.8"), Decimal("1")])
    )
    funding = ctx.rng.choice(list(Contract.Funding))
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
    if ctx.rng.random() < 0.5:  # an earlier CDD with the same employer: a history
        result.append(
            Contract(
                peer=peer,
                kind="cdd",
                employer=peer.employer,
                start=start - DAY * 365,
                end=start - DAY,
                fte=fte,
                funding=funding,
            )
        )
    return result


def _trainings(ctx, peer, today):
    result = []
    for kind, title, provider in ctx.rng.sample(TRAININGS, k=ctx.rng.randint(0, 2)):
        start = today - DAY * ctx.rng.randint(30, 1200)
        status = ctx.rng.choice(list(Training.Status))
        result.append(
            Training(
                peer=peer,
                kind=kind,
                title=title,
                provider=provider,
                start=start,
                end=start + DAY * 240 if status in ("obtenue", "abandonnee") else None,
                status=status,
            )
        )
    return result


def _assessments(ctx, peer, today, competencies):
    if not competencies or peer.user_id is None or ctx.rng.random() < 0.3:
        return []
    result = []
    for months_ago, bonus in ((8, 0), (1, 1)):
        for competency in competencies:
            result.append(
                Assessment(
                    peer=peer,
                    competency=competency,
                    assessor=Assessment.Assessor.SELF,
                    assessed_by_id=peer.user_id,
                    date=today - DAY * 30 * months_ago,
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
        if draw < 0.2 or member is None:
            continue  # missing charter
        individual = ctx.rng.choice([40, 50, 60])
        groups = ctx.rng.choice([20, 30])
        parties = 3 if draw < 0.75 else ctx.rng.choice([0, 1, 2])
        signed_at = timezone.now() - datetime.timedelta(days=ctx.rng.randint(20, 300))
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


def _supervision(ctx, org, peers, lead, today, late):
    active = [p for p in peers if p.status != PeerWorker.Status.LEFT]
    # Some peers are left out of recent sessions: their supervision is overdue.
    regulars = [p for p in active if p != late and ctx.rng.random() > 0.2] or active[:1]
    count = 0
    for weeks_ago in range(2, 30, 4):
        session = SupervisionSession.objects.create(
            organisation=org,
            date=today - datetime.timedelta(weeks=weeks_ago),
            kind=ctx.rng.choice(list(SupervisionSession.Kind)),
            duration_minutes=ctx.rng.choice([60, 90, 120]),
            facilitator="Psychologue extérieur·e au service",
        )
        session.participants.set(regulars if weeks_ago < 12 else active)
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
    members = [peer_memberships[p.user_id] for p in peers if p.user_id in peer_memberships]
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
            start=today - DAY * ctx.rng.randint(60, 200),
        )
        for k in range(ctx.rng.randint(1, 3)):
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
