"""Demo persons, consents, accompaniments, encounters, recovery plans, resources, referrals.

Volume matters ("medium": 20,000 persons, 300,000 encounters), so everything is built in
memory per organisation and written with bulk_create; randomness comes from ctx only.
"""

import datetime

from django.utils import timezone

from entrepairs.territory.models import Commune, Facility
from entrepairs.workforce.models import Deployment

from .models import (
    DEFAULT_DOMAINS,
    Accompaniment,
    Consent,
    ConsentPurpose,
    Encounter,
    Goal,
    LifeDomain,
    Person,
    Rating,
    RecoveryPlan,
    Referral,
    Resource,
    Review,
    Step,
)

BATCH = 5000
HISTORY_DAYS = 540  # encounters spread over the last 18 months

SETTING_OF_FACILITY = {
    Facility.Kind.CMP: Accompaniment.Setting.CMP,
    Facility.Kind.CATTP: Accompaniment.Setting.CMP,
    Facility.Kind.DAY_HOSPITAL: Accompaniment.Setting.DAY_HOSPITAL,
    Facility.Kind.INPATIENT_UNIT: Accompaniment.Setting.HOSPITAL_UNIT,
    Facility.Kind.CRISIS_CENTRE: Accompaniment.Setting.HOSPITAL_UNIT,
    Facility.Kind.MOBILE_TEAM: Accompaniment.Setting.HOME,
}
ORIGINS = [o for o, _ in Person.Origin.choices]
ORIGIN_WEIGHTS = [35, 25, 15, 10, 10, 5]
PLACES = [
    "CMP",
    "café près du CMP",
    "domicile",
    "hôpital de jour",
    "maison des usagers",
    "GEM",
    "parc",
    "unité d'hospitalisation",
    "médiathèque",
]
DURATIONS = [20, 30, 45, 45, 60, 60, 60, 90, 120, 180]
KINDS = [k for k, _ in Encounter.Kind.choices]
KIND_WEIGHTS = [15, 35, 15, 15, 8, 12]
PRIVATE_NOTES = [
    "Parle de sa semaine, plus d'énergie.",
    "Difficile aujourd'hui, a eu besoin d'être écouté·e.",
    "Évoque son parcours, souhaite reprendre une activité.",
    "Inquiétude pour le logement, on en reparle jeudi.",
    "A partagé ce qui l'aide quand ça ne va pas.",
    "Moment de rire, bonne énergie.",
    "Fatigue, sommeil compliqué en ce moment.",
]
SHARED_NOTES = [
    "Souhaite être accompagné·e au prochain rendez-vous CMP.",
    "A visité le GEM, envisage d'y retourner.",
    "Démarches logement en cours avec l'assistante sociale.",
    "Demande à faire le point sur son traitement avec le médecin.",
]
GOALS = {
    "logement": ["Avoir mon propre appartement", "Être bien chez moi", "Quitter le foyer"],
    "activité et emploi": ["Retrouver un travail qui me plaît", "Faire du bénévolat"],
    "relations et famille": ["Revoir ma sœur", "Me faire des amis", "Renouer avec mon fils"],
    "santé": ["Mieux dormir", "Arrêter de fumer", "Marcher tous les jours"],
    "loisirs": ["Reprendre la guitare", "Aller à la piscine", "Sortir au cinéma"],
    "citoyenneté": ["Voter aux prochaines élections", "M'engager dans une association"],
    "argent": ["Gérer mon budget seul·e", "Rembourser mes dettes"],
    "estime de soi": ["Avoir confiance en moi", "Oser dire non"],
}
STEPS = [
    "Prendre rendez-vous",
    "En parler à l'équipe",
    "Remplir le dossier",
    "Faire un essai",
    "Demander conseil au GEM",
    "Y aller accompagné·e la première fois",
]
RESOURCE_TEMPLATES = [
    (Resource.Kind.GEM, "GEM Les Ailes de {city}"),
    (Resource.Kind.GEM, "GEM L'Entraide {city}"),
    (Resource.Kind.CLUBHOUSE, "Club-house {city}"),
    (Resource.Kind.SOCIAL_SERVICE, "CCAS de {city}"),
    (Resource.Kind.EMPLOYMENT, "Mission locale de {city}"),
    (Resource.Kind.EMPLOYMENT, "Cap emploi {department}"),
    (Resource.Kind.MEDICO_SOCIAL, "SAVS {city}"),
    (Resource.Kind.MEDICO_SOCIAL, "SAMSAH {department}"),
    (Resource.Kind.HOUSING, "Résidence accueil {city}"),
    (Resource.Kind.HOUSING, "SIAO {department}"),
    (Resource.Kind.ASSOCIATION, "UNAFAM {department}"),
    (Resource.Kind.CULTURE_SPORT, "Association sportive adaptée de {city}"),
]


# Names that say nothing of gender, for persons who gave none or "autre".
NEUTRAL_FIRST_NAMES = ["Camille", "Dominique", "Claude", "Sacha", "Alex", "Charlie", "Morgan"]
FIRST_NAME_OF_GENDER = {
    "F": "first_name_female",
    "M": "first_name_male",
}
# Time a peer spends on a meeting that did not happen: waiting, a call to rearrange it.
UNHELD_DURATIONS = [10, 15, 15, 20, 30]
IN_PERSON_ONLY_KINDS = {Encounter.Kind.ACCOMPANYING}


def alias_for(ctx, gender: str) -> str:
    """A first name that matches the gender the person gave, and an initial."""
    method = FIRST_NAME_OF_GENDER.get(gender)
    first = getattr(ctx.faker, method)() if method else ctx.rng.choice(NEUTRAL_FIRST_NAMES)
    return f"{first} {chr(65 + ctx.rng.randrange(26))}."


def working_day(day: datetime.date, earliest: datetime.date, latest: datetime.date):
    """The nearest weekday to ``day`` within [earliest, latest] (``day`` if none is)."""
    for shift in (0, -1, 1, -2, 2):
        candidate = day + datetime.timedelta(days=shift)
        if candidate.weekday() < 5 and earliest <= candidate <= latest:
            return candidate
    return day


def _weighted(rng, values, weights):
    return rng.choices(values, weights=weights, k=1)[0]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    """``day`` at ``hour``, never later than now (a consent is not recorded in the future)."""
    return min(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), timezone.now()
    )


def generate(ctx):
    today = timezone.localdate()
    for org in ctx.organisations:
        resources = _resources(ctx, org)
        peers = ctx.peers.get(org.pk, [])
        if peers:
            _persons(ctx, org, peers, resources, today)


def _resources(ctx, org):
    city = org.commune.name if org.commune_id else org.name
    department = org.department.name if org.department_id else ""
    resources = Resource.objects.bulk_create(
        Resource(
            organisation=org,
            name=template.format(city=city, department=department).strip(),
            kind=kind,
            commune=org.commune,
            contact=f"03 {ctx.rng.randint(10, 99)} {ctx.rng.randint(10, 99)} "
            f"{ctx.rng.randint(10, 99)} {ctx.rng.randint(10, 99)}",
        )
        for kind, template in RESOURCE_TEMPLATES
    )
    ctx.count("ressources locales", len(resources))
    return resources


def _persons(ctx, org, peers, resources, today):
    rng, scale = ctx.rng, ctx.scale
    # Only peers who have started work accompany anyone (not those still being recruited).
    peers = [
        p for p in peers if ctx.peer_period(p, today)[0] is not None or p.pk not in ctx.peer_periods
    ]
    places_of = {}
    for deployment in Deployment.objects.filter(peer__in=peers).select_related("facility"):
        places_of.setdefault(deployment.peer_id, []).append(deployment.facility)
    communes = list(
        Commune.objects.filter(sectors__organisation=org).values_list("pk", flat=True)[:300]
    )
    end_reasons = [r for r, _ in Accompaniment.EndReason.choices]
    # 1. Decide everything about each person first, so each table is written once.
    persons, stories = [], []
    for peer in peers:
        facilities = places_of.get(peer.pk) or [None]
        for _ in range(scale.persons_per_peer):
            story = _story(ctx, peer, facilities, today)
            gender = _weighted(rng, ["F", "M", "X", ""], [46, 46, 3, 5])
            persons.append(
                Person(
                    organisation=org,
                    alias=alias_for(ctx, gender),
                    # Adults (sector psychiatry for adults): 18 or more when first met.
                    birth_year=rng.randint(1950, story["start"].year - 18),
                    gender=gender,
                    commune_id=rng.choice(communes) if communes and rng.random() < 0.85 else None,
                    origin=_weighted(rng, ORIGINS, ORIGIN_WEIGHTS),
                    contact=(
                        f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} ** **"
                        if story["given"][ConsentPurpose.CONTACT] and rng.random() < 0.5
                        else ""
                    ),
                    created_by_id=peer.user_id,
                    last_activity_on=story["last_activity"],
                )
            )
            stories.append(story)
    Person.objects.bulk_create(persons, batch_size=BATCH)
    # The record was opened on the first meeting, not today (auto_now_add wrote today).
    for person, story in zip(persons, stories, strict=True):
        person.created_at = _at(story["start"], 10)
    Person.objects.bulk_update(persons, ["created_at"], batch_size=BATCH)
    ctx.count("personnes accompagnées", len(persons))

    # 2. Consents (with a few later withdrawals) and accompaniment episodes.
    consents, accompaniments = [], []
    for person, story in zip(persons, stories, strict=True):
        start, peer = story["start"], story["peer"]
        for purpose, value in story["initial"].items():
            consents.append(
                Consent(
                    person=person,
                    purpose=purpose,
                    given=value,
                    means=_weighted(rng, ["oral", "written"], [70, 30]),
                    decided_on=start,
                    recorded_at=_at(start, 10),
                    recorded_by_id=peer.user_id,
                )
            )
        for purpose, day in story["withdrawals"]:
            consents.append(
                Consent(
                    person=person,
                    purpose=purpose,
                    given=False,
                    means="oral",
                    decided_on=day,
                    recorded_at=_at(day, 15),
                    recorded_by_id=peer.user_id,
                )
            )
        facility = story["facility"]
        setting = Accompaniment.Setting.COMMUNITY
        if rng.random() < 0.8:
            setting = SETTING_OF_FACILITY.get(getattr(facility, "kind", None), setting)
        accompaniments.append(
            Accompaniment(
                person=person,
                facility=facility,
                setting=setting,
                start=start,
                end=story["end"],
                end_reason=(
                    _weighted(rng, end_reasons, [35, 25, 10, 20, 10]) if story["end"] else ""
                ),
            )
        )
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    Accompaniment.objects.bulk_create(accompaniments, batch_size=BATCH)
    Accompaniment.peers.through.objects.bulk_create(
        [
            Accompaniment.peers.through(accompaniment_id=a.pk, peerworker_id=story["peer"].pk)
            for a, story in zip(accompaniments, stories, strict=True)
        ],
        batch_size=BATCH,
    )
    ctx.count("consentements", len(consents))
    ctx.count("accompagnements", len(accompaniments))

    # 3. Encounters on the days decided above.
    encounters = []
    usual_place = {peer.pk: rng.choice(PLACES) for peer in peers}
    for accompaniment, story in zip(accompaniments, stories, strict=True):
        peer, shares = story["peer"], story["given"][ConsentPurpose.TEAM_SHARING]
        for day in story["days"]:
            outcome = _weighted(rng, ["held", "missed", "cancelled"], [85, 10, 5])
            mode = _weighted(rng, ["in_person", "phone", "video"], [75, 20, 5])
            kinds = set(rng.choices(KINDS, weights=KIND_WEIGHTS, k=rng.randint(1, 2)))
            if mode != "in_person":
                # Nobody is physically accompanied over the phone; a call has no place.
                kinds = (kinds - IN_PERSON_ONLY_KINDS) or {Encounter.Kind.SUPPORT}
                place = ""
            else:
                place = usual_place[peer.pk] if rng.random() < 0.6 else rng.choice(PLACES)
            note, visibility = "", Encounter.NoteVisibility.PRIVATE
            roll = rng.random()
            if outcome != "held":
                pass  # nothing happened to write about
            elif shares and roll < 0.12:
                note, visibility = rng.choice(SHARED_NOTES), Encounter.NoteVisibility.TEAM
            elif roll < 0.45:
                note = rng.choice(PRIVATE_NOTES)
            encounters.append(
                Encounter(
                    accompaniment=accompaniment,
                    organisation_id=accompaniment.person.organisation_id,
                    peer=peer,
                    date=day,
                    duration_minutes=rng.choice(
                        DURATIONS if outcome == "held" else UNHELD_DURATIONS
                    ),
                    mode=mode,
                    place=place,
                    kinds=sorted(kinds),
                    outcome=outcome,
                    note=note,
                    note_visibility=visibility,
                )
            )
        if len(encounters) >= BATCH:
            Encounter.objects.bulk_create(encounters, batch_size=BATCH)
            ctx.count("rencontres", len(encounters))
            encounters = []
    Encounter.objects.bulk_create(encounters, batch_size=BATCH)
    ctx.count("rencontres", len(encounters))

    # 4. Recovery plans for about a quarter of persons; referrals for about a third.
    chosen = [(p, s) for p, s in zip(persons, stories, strict=True) if rng.random() < 0.25]
    _plans(ctx, [p for p, _s in chosen], [s for _p, s in chosen], today)
    referrals = []
    outcomes = [o for o, _ in Referral.Outcome.choices]
    for person, story in zip(persons, stories, strict=True):
        if rng.random() < 0.3:
            for resource in rng.sample(resources, rng.randint(1, 2)):
                # During the accompaniment: on one of its encounter days.
                day = rng.choice(story["days"]) if story["days"] else story["start"]
                referrals.append(
                    Referral(
                        person=person,
                        resource=resource,
                        date=day,
                        outcome=_weighted(rng, outcomes, [20, 20, 40, 12, 8]),
                        created_by_id=person.created_by_id,
                    )
                )
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    ctx.count("orientations", len(referrals))


def _story(ctx, peer, facilities, today) -> dict:
    """One person's accompaniment: dates, consents given and withdrawn, encounter days."""
    rng, scale = ctx.rng, ctx.scale
    # Within the peer's working period (and the demo's history).
    first, last = ctx.peer_period(peer, today)
    earliest = max(first or today, today - datetime.timedelta(days=HISTORY_DAYS))
    if first is None:
        earliest = today - datetime.timedelta(days=HISTORY_DAYS)
    latest = last if last < today else today
    if latest < earliest:
        latest = earliest
    start = working_day(
        earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days)),
        earliest,
        latest,
    )
    initial = {
        ConsentPurpose.RECORD: True,
        ConsentPurpose.EVALUATION: rng.random() < 0.8,
        ConsentPurpose.TEAM_SHARING: rng.random() < 0.6,
        ConsentPurpose.CONTACT: rng.random() < 0.5,
    }
    given = dict(initial)
    withdrawals = []
    if rng.random() < 0.05:  # a few change their mind later
        purpose = rng.choice([ConsentPurpose.EVALUATION, ConsentPurpose.TEAM_SHARING])
        if given[purpose]:
            given[purpose] = False
            later = min(latest, start + datetime.timedelta(days=rng.randint(10, 200)))
            withdrawals.append((purpose, later))
    end = None
    if rng.random() < 0.15 and start < latest - datetime.timedelta(days=60):
        end = min(latest, start + datetime.timedelta(days=rng.randint(30, HISTORY_DAYS)))
    if latest < today and end is None:
        # The peer left: the accompaniment closed on their last day at the latest.
        end = latest
    if withdrawals and end and withdrawals[0][1] > end:
        withdrawals = [(withdrawals[0][0], end)]
    span = ((end or today) - start).days
    n = scale.encounters_per_person
    count = rng.randint(max(1, n - n // 3), n + n // 3)  # mean n
    stop = end or today
    days = [
        working_day(start + datetime.timedelta(days=d), start, stop)
        for d in sorted(rng.randint(0, span) for _ in range(count))
    ]
    days[0] = start  # the first meeting opens the accompaniment
    return {
        "peer": peer,
        "facility": rng.choice(facilities),
        "start": start,
        "end": end,
        "initial": initial,
        "given": given,
        "withdrawals": withdrawals,
        "days": days,
        "last_activity": days[-1] if days else start,
    }


def _plans(ctx, persons, stories, today):
    rng = ctx.rng
    plans = RecoveryPlan.objects.bulk_create(
        [RecoveryPlan(person=p, updated_by_id=p.created_by_id) for p in persons], batch_size=BATCH
    )
    domains = LifeDomain.objects.bulk_create(
        [
            LifeDomain(plan=plan, name=str(name), position=i, is_default=True)
            for plan in plans
            for i, name in enumerate(DEFAULT_DOMAINS)
        ],
        batch_size=BATCH,
    )
    per_plan = len(DEFAULT_DOMAINS)
    goals, reviews, review_domains = [], [], []
    for index, (plan, person) in enumerate(zip(plans, persons, strict=True)):
        own = domains[index * per_plan : (index + 1) * per_plan]
        for domain in rng.sample(own, rng.randint(1, 3)):
            goals.append(Goal(plan=plan, domain=domain, text=rng.choice(GOALS[domain.name])))
        # Reviews every three months or so, within the accompaniment, on its meeting days.
        story = stories[index]
        held = sorted(set(story["days"]))
        wanted = rng.randint(0, 4)
        picked, previous = [], None
        for day in held:
            if len(picked) == wanted:
                break
            if previous is None or (day - previous).days >= 80:
                picked.append(day)
                previous = day
        for day in picked:
            reviews.append(Review(plan=plan, date=day, created_by_id=person.created_by_id))
            review_domains.append(rng.sample(own, rng.randint(3, per_plan)))
    Goal.objects.bulk_create(goals, batch_size=BATCH)
    Step.objects.bulk_create(
        [
            Step(
                goal=goal,
                text=text,
                status=_weighted(rng, [s for s, _ in Step.Status.choices], [35, 30, 30, 5]),
            )
            for goal in goals
            for text in rng.sample(STEPS, rng.randint(1, 3))
        ],
        batch_size=BATCH,
    )
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    ratings = []
    for review, rated in zip(reviews, review_domains, strict=True):
        for domain in rated:
            mine = rng.randint(2, 9)
            ratings.append(
                Rating(
                    review=review,
                    domain=domain,
                    person_score=mine,
                    peer_score=max(0, min(10, mine + rng.randint(-2, 2)))
                    if rng.random() < 0.8
                    else None,
                )
            )
    Rating.objects.bulk_create(ratings, batch_size=BATCH)
    ctx.count("plans de rétablissement", len(plans))
    ctx.count("points d'étape (plans)", len(reviews))
