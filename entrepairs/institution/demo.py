"""Demo institutional activities: one to three per peer per quarter over the last year."""

import datetime

from entrepairs.workforce.models import PeerWorker

from .models import AUDIENCE_FIELDS, InstitutionalActivity

Kind = InstitutionalActivity.Kind
# (kind, weight, titles)
KINDS = [
    (Kind.AWARENESS, 4, ["Sensibilisation au rétablissement", "Présentation de la pair-aidance"]),
    (Kind.CROSS_TRAINING, 2, ["Formation croisée : le rétablissement", "Formation croisée"]),
    (Kind.INSTANCE, 3, ["Séance de l'instance"]),
    (Kind.TEAM_MEETING, 5, ["Réunion d'équipe", "Synthèse clinique"]),
    (Kind.TEACHING, 1, ["Cours en IFSI", "Intervention à l'université"]),
    (Kind.DESTIGMATISATION, 1, ["Semaines d'information sur la santé mentale"]),
    (Kind.WORKING_GROUP, 1, ["Groupe de travail projet d'établissement", "Groupe QVT"]),
]
QUARTERS = 4


def generate(ctx):
    today = datetime.date.today()
    kinds = [k for k, weight, _t in KINDS for _ in range(weight)]
    titles = {k: t for k, _w, t in KINDS}
    activities, participants = [], []
    for org in ctx.organisations:
        peers = [
            p
            for p in ctx.peers.get(org.pk, [])
            if p.status not in (PeerWorker.Status.LEFT, PeerWorker.Status.RECRUITING)
        ]
        for peer in peers:
            first, _last = ctx.peer_period(peer, today)
            for quarter in range(QUARTERS):
                quarter_end = today - datetime.timedelta(days=91 * quarter)
                for _ in range(ctx.rng.randint(1, 3)):
                    day = quarter_end - datetime.timedelta(days=ctx.rng.randrange(91))
                    if first is not None and day < first:
                        continue  # before the peer's arrival
                    if day.weekday() >= 5 and kind_is_weekday(ctx):
                        day -= datetime.timedelta(days=day.weekday() - 4)
                    kind = ctx.rng.choice(kinds)
                    activity = InstitutionalActivity(
                        organisation=org,
                        kind=kind,
                        instance=ctx.rng.choice(InstitutionalActivity.Instance.values[:-1])
                        if kind == Kind.INSTANCE
                        else "",
                        title=ctx.rng.choice(titles[kind]),
                        date=day,
                        duration_minutes=ctx.rng.choice([60, 90, 120, 180, 210]),
                    )
                    audience(ctx, activity)
                    activities.append(activity)
                    others = [
                        p
                        for p in peers
                        if p.pk != peer.pk and (ctx.peer_period(p, today)[0] or day) <= day
                    ]
                    together = [peer]
                    if others and ctx.rng.random() < 0.2:
                        together.append(ctx.rng.choice(others))
                    participants.append(together)
    InstitutionalActivity.objects.bulk_create(activities, batch_size=2000)
    through = InstitutionalActivity.peers.through
    through.objects.bulk_create(
        (
            through(institutionalactivity_id=a.pk, peerworker_id=p.pk)
            for a, together in zip(activities, participants, strict=True)
            for p in together
        ),
        batch_size=5000,
    )
    ctx.count("actions institutionnelles", len(activities))


def kind_is_weekday(ctx) -> bool:
    """Most actions take place on a working day; a public event may fall on a weekend."""
    return ctx.rng.random() < 0.95


def audience(ctx, activity):
    """Plausible audience by profession for the kind of action."""
    if activity.kind in (Kind.TEAM_MEETING, Kind.AWARENESS, Kind.CROSS_TRAINING):
        activity.audience_nurses = ctx.rng.randint(2, 12)
        activity.audience_doctors = ctx.rng.randint(0, 3)
        activity.audience_psychologists = ctx.rng.randint(0, 2)
        activity.audience_social_workers = ctx.rng.randint(0, 2)
        activity.audience_managers = ctx.rng.randint(0, 2)
    elif activity.kind == Kind.TEACHING:
        activity.audience_students = ctx.rng.randint(20, 80)
    elif activity.kind == Kind.DESTIGMATISATION:
        activity.audience_other = ctx.rng.randint(10, 120)
    else:
        for name, _label in AUDIENCE_FIELDS[:5]:
            setattr(activity, name, ctx.rng.randint(0, 3))
    if activity.kind == Kind.CROSS_TRAINING:
        activity.lived_experience_count = ctx.rng.randint(4, 10)
        activity.professionals_count = sum(
            getattr(activity, name) for name, _label in AUDIENCE_FIELDS
        )
