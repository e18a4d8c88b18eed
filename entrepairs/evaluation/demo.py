"""Demo evaluation data: instruments, campaigns, linked WHO-5 before/after, anonymous
satisfaction and team climate answers, a readiness checklist per establishment.

Deterministic (ctx.rng only) and bulk-created.
"""

import datetime

from django.utils import timezone

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

        def make(code, title, mode, timepoints, org=org, user=user, **extra):
            return Campaign.objects.create(
                organisation=org,
                instrument_version=versions[code],
                audience=versions[code].audience,
                title=title,
                mode=mode,
                timepoints=timepoints,
                opens_on=today - datetime.timedelta(days=400),
                created_by=user,
                **extra,
            )

        make("satisfaction-personnes", "Avis des personnes accompagnées", "anonymous", ["end"])
        who5 = make(
            "who-5",
            "Bien-être avant / après (WHO-5)",
            "linked",
            ["start", "months"],
            months_after=6,
        )
        make("climat-equipe", "Climat des équipes", "anonymous", ["yearly"])
        make("preparation-programme", "Préparation du programme", "anonymous", ["once"])
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

        for _ in range(ctx.rng.randint(8, 30)):
            days_ago = ctx.rng.randint(0, 360)
            anonymous("satisfaction-personnes", _month(today - datetime.timedelta(days=days_ago)))
        for years_ago, lean in ((1, -0.2), (0, 0.2)):  # climate improves after a year
            month = _month(
                today.replace(year=today.year - years_ago, month=3 if today.month >= 3 else 1)
            )
            for _ in range(ctx.rng.randint(6, 15)):
                anonymous("climat-equipe", month, lean)
        anonymous("preparation-programme", _month(today))

        # Linked WHO-5 before / after for consenting persons followed six months or more.
        persons = Person.objects.filter(organisation=org).with_consent(ConsentPurpose.EVALUATION)
        accompaniments = (
            Accompaniment.objects.filter(
                person__in=persons, start__lte=today - datetime.timedelta(days=190)
            )
            .order_by("person_id", "start")
            .distinct()[:LINKED_PERSONS_PER_ORG]
        )
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
