"""Demo evaluation data: instruments, campaigns, linked WHO-5 before/after, anonymous
satisfaction and team climate answers, a readiness checklist per establishment.

Deterministic (ctx.rng only) and bulk-created.
"""

import datetime

from django.utils import timezone

from entrepairs.accompaniment.demo import HISTORY_DAYS
from entrepairs.accompaniment.models import Accompaniment, ConsentPurpose, Person
from entrepairs.core.roles import Role

from .campaigns import add_months
from .models import AnonymousResponse, Campaign, LinkedResponse
from .publishing import load_builtin_instruments
from .scoring import clean_answers, score_response

LINKED_PERSONS_PER_ORG = 40
# Leaning towards "yes", as in the seed's Lille figure (78 % felt better understood).
YES_WEIGHTS = {"yes": 0.72, "partly": 0.2, "no": 0.08}


def random_answers(rng, definition, lean=0.0):
    """Plausible answers; ``lean`` (−1..1) pushes ordered scales up or down."""
    answers = {}
    for item in definition["items"]:
        kind = item["type"]
        if kind == "free_text":
            continue
        if kind == "zero_to_ten":
            answers[item["code"]] = max(0, min(10, round(rng.gauss(7 + 2 * lean, 2))))
            continue
        codes = [o["code"] for o in item["options"]]
        if set(YES_WEIGHTS) <= set(codes):
            answers[item["code"]] = rng.choices(
                list(YES_WEIGHTS), weights=list(YES_WEIGHTS.values())
            )[0]
        elif kind == "scale":
            scored = sorted(item["options"], key=lambda o: o["score"])
            position = max(
                0, min(len(scored) - 1, round(rng.gauss((len(scored) - 1) * (0.5 + lean / 2), 1)))
            )
            answers[item["code"]] = scored[position]["code"]
        else:
            answers[item["code"]] = rng.choice(codes)
    return clean_answers(definition, answers, complete=False)


def _month(day):
    return day.replace(day=1)


# How the steering group rates the readiness conditions, by the programme's status then.
READINESS_LEAN = {"experimental": -0.5, "pilot": 0.0, "sustained": 0.5}
QUARTERS_OF_SATISFACTION = 6


def _quarter_months(today, quarters):
    """First month of each of the last ``quarters`` calendar quarters, current one included."""
    first = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    result = []
    for back in range(quarters):
        result.append(add_months(first, -3 * back))
    return result


def generate(ctx):
    versions = {v.instrument.code: v for v, _ in load_builtin_instruments()}
    today = timezone.localdate()
    now = timezone.now()
    anonymous_rows, linked_rows = [], []
    campaigns = 0
    for org in ctx.organisations:
        facilities = ctx.facilities.get(org.pk, [])
        creator = next(iter(ctx.memberships.get((org.pk, Role.COORDINATOR), [])), None)
        user = creator.user if creator else None

        programme = ctx.programmes.get(org.pk)
        opened = programme.started_on if programme else today - datetime.timedelta(days=400)
        first_quarter = _quarter_months(today, QUARTERS_OF_SATISFACTION)[-1]

        def make(code, title, mode, timepoints, opens_on, org=org, user=user, **extra):
            return Campaign.objects.create(
                organisation=org,
                instrument_version=versions[code],
                audience=versions[code].audience,
                title=title,
                mode=mode,
                timepoints=timepoints,
                opens_on=opens_on,
                created_by=user,
                **extra,
            )

        make(
            "satisfaction-personnes",
            "Avis des personnes accompagnées",
            "anonymous",
            ["end"],
            first_quarter,
        )
        who5 = make(
            "who-5",
            "Bien-être avant / après (WHO-5)",
            "linked",
            ["start", "months"],
            today - datetime.timedelta(days=HISTORY_DAYS),
            months_after=6,
        )
        # The team climate is measured once before the first peer arrives, then every year.
        climate_opens = _month(opened - datetime.timedelta(days=45))
        make("climat-equipe", "Climat des équipes", "anonymous", ["yearly"], climate_opens)
        make(
            "preparation-programme",
            "Préparation du programme",
            "anonymous",
            ["yearly"],
            _month(opened),
        )
        campaigns += 4

        def anonymous(code, month, lean=0.0, org=org, facilities=facilities):
            definition = versions[code].definition
            answers = random_answers(ctx.rng, definition, lean)
            anonymous_rows.append(
                AnonymousResponse(
                    organisation=org,
                    facility=ctx.rng.choice(facilities) if facilities else None,
                    instrument_version=versions[code],
                    month=month,
                    answers=answers,
                    scores=score_response(definition, answers),
                )
            )

        # Persons' opinions each quarter: enough answers for a figure at every level.
        persons_here = Person.objects.filter(organisation=org).count()
        for month in _quarter_months(today, QUARTERS_OF_SATISFACTION):
            for _ in range(max(11 + ctx.rng.randint(0, 9), persons_here // 8)):
                anonymous(
                    "satisfaction-personnes",
                    min(add_months(month, ctx.rng.randint(0, 2)), _month(today)),
                )
        # Team climate: a wave before the first peer arrives (fears of role confusion), then
        # one each year, fears receding as the team works with peers.
        waves = [(climate_opens, -0.4)]
        wave = add_months(climate_opens, 12)
        while wave <= today:
            waves.append((wave, min(0.4, waves[-1][1] + 0.25)))
            wave = add_months(wave, 12)
        for month, lean in waves[-3:]:
            for _ in range(ctx.rng.randint(12, 25)):
                anonymous("climat-equipe", month, lean)
        # Readiness: the steering group fills the checklist every year since the programme
        # opened, rating as the programme's status at the time allows.
        wave = _month(opened)
        while wave <= today:
            status = programme.status_on(wave) if programme else "pilot"
            lean = READINESS_LEAN.get(status or "experimental", 0.0)
            for _ in range(ctx.rng.randint(11, 16)):
                anonymous("preparation-programme", wave, lean)
            wave = add_months(wave, 12)

        # Linked WHO-5 before / after for consenting persons followed six months or more.
        persons = Person.objects.filter(organisation=org).with_consent(ConsentPurpose.EVALUATION)
        accompaniments = (
            Accompaniment.objects.filter(
                person__in=persons, start__lte=today - datetime.timedelta(days=190)
            )
            .order_by("person_id", "start")
            .distinct()
        )
        # Followed six months or more: the "after" answer falls within the accompaniment.
        accompaniments = [
            a for a in accompaniments if a.end is None or a.end >= add_months(a.start, 6)
        ][:LINKED_PERSONS_PER_ORG]
        definition = versions["who-5"].definition
        for accompaniment in accompaniments:
            before = random_answers(ctx.rng, definition, lean=-0.3)
            after = random_answers(ctx.rng, definition, lean=0.1)
            for timepoint, answers, day in (
                ("start", before, accompaniment.start),
                ("months", after, add_months(accompaniment.start, 6)),
            ):
                completed = datetime.datetime.combine(day, datetime.time(14), tzinfo=now.tzinfo)
                linked_rows.append(
                    LinkedResponse(
                        person_id=accompaniment.person_id,
                        accompaniment=accompaniment,
                        campaign=who5,
                        organisation=org,
                        facility=accompaniment.facility,
                        instrument_version=versions["who-5"],
                        timepoint=timepoint,
                        answers=answers,
                        scores=score_response(definition, answers),
                        completed_at=completed,
                    )
                )
    AnonymousResponse.objects.bulk_create(anonymous_rows, batch_size=2000)
    LinkedResponse.objects.bulk_create(linked_rows, batch_size=2000)
    ctx.count("campagnes d'évaluation", campaigns)
    ctx.count("réponses anonymes", len(anonymous_rows))
    ctx.count("réponses suivies (avant / après)", len(linked_rows))
