"""Demo groups: ``groups_per_establishment`` groups per establishment, weekly sessions over
the last 12 months, anonymous headcounts, and a few named attendances when the accompaniment
demo created persons with their record consent."""

import datetime

from entrepairs.accompaniment.models import ConsentPurpose, Person
from entrepairs.core.roles import Role
from entrepairs.workforce.models import PeerWorker

from .models import Group, GroupSession

# (kind, name, usual themes)
TEMPLATES = [
    (Group.Kind.MUTUAL_AID, "Groupe d'entraide", ["Se retrouver", "Les petites victoires"]),
    (Group.Kind.THEMATIC_WORKSHOP, "Atelier estime de soi", ["Mes forces", "Dire non"]),
    (Group.Kind.TALKING_GROUP, "Groupe de parole « vivre avec les voix »", ["Les voix", ""]),
    (Group.Kind.THEMATIC_WORKSHOP, "Atelier rétablissement", ["Mon plan de bien-être", ""]),
    (Group.Kind.PSYCHOEDUCATION, "Psychoéducation co-animée", ["Le traitement", "Le sommeil"]),
    (Group.Kind.PEER_MEDIATION, "Médiation par les pairs – accueil", ["Accueil", ""]),
    (Group.Kind.THEMATIC_WORKSHOP, "Atelier droits et citoyenneté", ["Mes droits", "Voter"]),
]
PLACES = ["GEM La Passerelle", "Maison de quartier", "Médiathèque", "Club-house"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]
WEEKS = 52


def generate(ctx):
    today = datetime.date.today()
    first_day = today - datetime.timedelta(weeks=WEEKS)
    groups, facilitators = [], []
    for org in ctx.organisations:
        peers = [
            p
            for p in ctx.peers.get(org.pk, [])
            if p.status not in (PeerWorker.Status.LEFT, PeerWorker.Status.RECRUITING)
        ]
        if not peers:
            continue
        facilities = ctx.facilities.get(org.pk, [])
        professionals = ctx.memberships.get((org.pk, Role.PROFESSIONAL), [])
        for n in range(ctx.scale.groups_per_establishment):
            kind, name, themes = TEMPLATES[(n + len(groups)) % len(TEMPLATES)]
            weekday = ctx.rng.randrange(5)
            hour = ctx.rng.choice([10, 14, 15])
            in_facility = bool(facilities) and ctx.rng.random() < 0.6
            group = Group(
                organisation=org,
                name=f"{name} ({WEEKDAYS[weekday]})",
                kind=kind,
                facility=ctx.rng.choice(facilities) if in_facility else None,
                community_place="" if in_facility else ctx.rng.choice(PLACES),
                is_open=ctx.rng.random() < 0.7,
                usual_schedule=f"le {WEEKDAYS[weekday]} de {hour} h à {hour + 2} h",
                starts_on=first_day,
            )
            chosen = ctx.rng.sample(peers, k=min(len(peers), ctx.rng.choice([1, 2])))
            # The group starts once its first facilitator works here.
            group.starts_on = max(
                first_day, min(ctx.peer_period(p, today)[0] or first_day for p in chosen)
            )
            pros = ctx.rng.sample(professionals, k=1) if professionals and n % 2 == 0 else []
            groups.append(group)
            facilitators.append((chosen, pros, weekday, themes))
    Group.objects.bulk_create(groups)
    Group.peer_facilitators.through.objects.bulk_create(
        Group.peer_facilitators.through(group_id=g.pk, peerworker_id=p.pk)
        for g, (peers, _pros, _w, _t) in zip(groups, facilitators, strict=True)
        for p in peers
    )
    Group.professional_facilitators.through.objects.bulk_create(
        Group.professional_facilitators.through(group_id=g.pk, membership_id=m.pk)
        for g, (_peers, pros, _w, _t) in zip(groups, facilitators, strict=True)
        for m in pros
    )
    sessions, presences = [], []
    for group, (peers, pros, weekday, themes) in zip(groups, facilitators, strict=True):
        opened = group.starts_on
        day = opened + datetime.timedelta(days=(weekday - opened.weekday()) % 7)
        while day <= today:
            working = [p for p in peers if (ctx.peer_period(p, today)[0] or day) <= day]
            if working and ctx.rng.random() > 0.08:  # holidays, cancelled sessions
                session = GroupSession(
                    group=group,
                    date=day,
                    duration_minutes=ctx.rng.choice([90, 120, 120, 150]),
                    theme=ctx.rng.choice(themes),
                    headcount=ctx.rng.randint(2, 12),
                )
                sessions.append(session)
                present = [p for p in working if ctx.rng.random() < 0.9] or working[:1]
                presences.append((session, present, pros))
            day += datetime.timedelta(weeks=1)
    GroupSession.objects.bulk_create(sessions, batch_size=2000)
    through = GroupSession.peers_present.through
    through.objects.bulk_create(
        (
            through(groupsession_id=s.pk, peerworker_id=p.pk)
            for s, present, _pros in presences
            for p in present
        ),
        batch_size=5000,
    )
    pro_through = GroupSession.professionals_present.through
    pro_through.objects.bulk_create(
        (
            pro_through(groupsession_id=s.pk, membership_id=m.pk)
            for s, _present, pros in presences
            for m in pros
        ),
        batch_size=5000,
    )
    named = name_a_few_attendees(ctx, groups, facilitators, presences)
    ctx.count("groupes", len(groups))
    ctx.count("séances de groupe", len(sessions))
    ctx.count("présences nommées en groupe", named)


def name_a_few_attendees(ctx, groups, facilitators, presences) -> int:
    """On about one session in ten, name one or two persons accompanied by a facilitator who
    gave their record consent (none when the accompaniment demo created no person)."""
    by_group = {}
    for group, (peers, _pros, _w, _t) in zip(groups, facilitators, strict=True):
        by_group[group.pk] = list(
            Person.objects.filter(
                organisation_id=group.organisation_id, accompaniments__peers__in=peers
            )
            .with_consent(ConsentPurpose.RECORD)
            .order_by("pk")
            .values_list("pk", "accompaniments__start", "accompaniments__end")
            .distinct()[:6]
        )
    through = GroupSession.attendees.through
    rows = []
    for session, _present, _pros in presences:
        # Only persons accompanied on the day of the session.
        candidates = [
            pk
            for pk, start, end in by_group.get(session.group_id) or []
            if start <= session.date <= (end or session.date)
        ]
        if candidates and ctx.rng.random() < 0.1:
            for person_id in ctx.rng.sample(candidates, k=min(len(candidates), 2)):
                rows.append(through(groupsession_id=session.pk, person_id=person_id))
    through.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
