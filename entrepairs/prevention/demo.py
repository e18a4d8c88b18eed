"""Demo prevention plans at every stage (a draft in progress, signed and in force, replaced
by a newer version, revoked, signed with a new draft started), their recipients (some
withdrawn), reads, crisis records, psychiatrist comments, and hospital stays with their
legal mode around the first signature, so that the outcomes pages have figures.

Deterministic (ctx.rng only) and bulk-created. Plans are encrypted like real ones.
"""

import datetime

from django.utils import timezone

from entrepairs.accompaniment.models import ConsentPurpose, Person
from entrepairs.evaluation.models import HospitalStay, LegalMode

from .crypto import PlanBox
from .models import (
    CrisisRecord,
    PlanVersion,
    PreventionPlan,
    PsychiatristComment,
    ReadRecord,
    Recipient,
    RecipientKind,
    SignatureMeans,
    TrustedPerson,
    WishesRespected,
)

PLANS_PER_ORG = 60
SHARE_WITH_PLAN = 0.6  # of the consenting persons (DAiP: 54.6 % completed a plan)
STAGES = ["draft", "in_force", "replaced", "revoked", "new_draft"]
STAGE_WEIGHTS = [15, 45, 15, 10, 15]
TEXTS = {
    "keeps_well": ["Marcher le matin", "Voir ma sœur le dimanche", "Aller au GEM le mardi"],
    "early_signs": ["Je dors moins de 4 heures", "Je ne réponds plus au téléphone"],
    "triggers": ["Un conflit au travail", "L'anniversaire d'un deuil"],
    "what_helps": ["Qu'on me parle calmement", "Une pièce sans bruit"],
    "what_does_not_help": ["Qu'on crie", "Qu'on me touche sans prévenir"],
    "treatments_refused": ["Pas d'injection retard : j'ai pris 15 kilos"],
    "hospital_wishes": ["Plutôt à la clinique du secteur", "Une chambre seule si possible"],
    "staff_should_know": ["J'ai peur du noir", "Je suis croyant·e"],
    "practical": ["Ma voisine garde mon chat, elle a un double des clés"],
}
RECIPIENTS = [
    (RecipientKind.PSYCHIATRIST, "Psychiatre du CMP"),
    (RecipientKind.CMP_TEAM, "Équipe du CMP"),
    (RecipientKind.RELATIVE, "Ma sœur"),
    (RecipientKind.CRISIS_SERVICE, "Équipe mobile de crise"),
]
MODES = [LegalMode.FREE, LegalMode.THIRD_PARTY, LegalMode.IMMINENT_PERIL, LegalMode.STATE]


def _at(day, hour=10):
    """``day`` at ``hour``, never later than now (nothing is signed in the future)."""
    return min(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), timezone.now()
    )


def _sections(rng, box):
    chosen = {code: rng.choice(texts) for code, texts in TEXTS.items() if rng.random() < 0.7}
    chosen["card_contact_name"] = "Ma sœur"
    chosen["card_contact_phone"] = f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} 00 00"
    return box.encrypt_json(chosen)


def generate(ctx):
    rng = ctx.rng
    today = timezone.localdate()
    counts = dict.fromkeys(STAGES, 0)
    rows = {"plans": 0, "recipients": 0, "reads": 0, "crises": 0, "stays": 0}
    for org in ctx.organisations:
        # (person, first day of their accompaniment): a plan is written with the peer, so
        # during the accompaniment, never before it.
        met = {}
        for person_id, start, end in (
            Person.objects.filter(organisation=org)
            .with_consent(ConsentPurpose.EVALUATION)
            .order_by("pk", "accompaniments__start")
            .values_list("pk", "accompaniments__start", "accompaniments__end")
        ):
            if start and person_id not in met:
                met[person_id] = (start, min(end or today, today))
        # Persons accompanied for 45 days or more: time to write a plan together.
        persons = [p for p, (start, end) in met.items() if (end - start).days >= 45]
        persons = persons[: PLANS_PER_ORG * 2]
        share = min(PLANS_PER_ORG, round(len(persons) * SHARE_WITH_PLAN))
        with_plan = persons[:share]
        boxes, plans = {}, []
        for person_id in with_plan:
            wrapped, box = PlanBox.fresh()
            boxes[person_id] = box
            plans.append(PreventionPlan(person_id=person_id, organisation=org, wrapped_key=wrapped))
        PreventionPlan.objects.bulk_create(plans)
        versions, trusted, recipients, stays = [], [], [], []
        plan_stage = {}
        for plan in plans:
            box = boxes[plan.person_id]
            stage = rng.choices(STAGES, weights=STAGE_WEIGHTS)[0]
            counts[stage] += 1
            plan_stage[plan.pk] = stage
            opened, closed = met[plan.person_id]
            opened += datetime.timedelta(days=14)
            first = opened + datetime.timedelta(
                days=rng.randint(0, max(0, (closed - opened).days - 30))
            )
            if stage == "draft":
                versions.append(PlanVersion(plan=plan, number=1, content=_sections(rng, box)))
                continue
            v1 = PlanVersion(
                plan=plan,
                number=1,
                content=_sections(rng, box),
                signed_at=_at(first),
                signed_means=rng.choice(list(SignatureMeans)),
            )
            versions.append(v1)
            trusted.append((v1, box))
            if stage == "replaced":
                second = min(closed, first + datetime.timedelta(days=rng.randint(20, 200)))
                versions.append(
                    PlanVersion(
                        plan=plan,
                        number=2,
                        content=_sections(rng, box),
                        signed_at=_at(second, 11),
                        signed_means=SignatureMeans.IN_PERSON,
                    )
                )
            elif stage == "revoked":
                revoked = min(today, first + datetime.timedelta(days=rng.randint(10, 200)))
                v1.revoked_at, v1.revoked_means = _at(revoked, 12), SignatureMeans.PERSON_SPACE
            elif stage == "new_draft":
                versions.append(PlanVersion(plan=plan, number=2, content=_sections(rng, box)))
            for kind, name in rng.sample(RECIPIENTS, rng.randint(1, 3)):
                withdrawn = rng.random() < 0.15
                recipients.append(
                    Recipient(
                        plan=plan,
                        kind=kind,
                        name=box.encrypt(name),
                        given_at=_at(first, 14),
                        given_means=Recipient.ConsentMeans.ORAL,
                        withdrawn_at=_at(min(today, first + datetime.timedelta(days=30)), 15)
                        if withdrawn
                        else None,
                        withdrawn_means=Recipient.ConsentMeans.PERSON_SPACE if withdrawn else "",
                    )
                )
            # Stays around the first signature: fewer compulsory ones after, as in DAiP.
            before = first - datetime.timedelta(days=rng.randint(40, 300))
            stays.append(_stay(org, plan.person_id, before, rng, compulsory=0.6))
            if rng.random() < 0.45 and first + datetime.timedelta(days=40) < today:
                after = first + datetime.timedelta(days=rng.randint(30, 330))
                if after < today - datetime.timedelta(days=15):
                    stays.append(_stay(org, plan.person_id, after, rng, compulsory=0.35))
        for person_id in persons[share:]:
            if rng.random() < 0.3:
                day = today - datetime.timedelta(days=rng.randint(30, 700))
                stays.append(_stay(org, person_id, day, rng, compulsory=0.5))
        PlanVersion.objects.bulk_create(versions)
        TrustedPerson.objects.bulk_create(
            TrustedPerson(
                version=v,
                name=box.encrypt("Julie (ma sœur)"),
                contact=box.encrypt("06 00 00 00 00"),
                relationship=box.encrypt("ma sœur"),
                agreed_on=v.signed_at.date(),
                agreement_means=TrustedPerson.AgreementMeans.COSIGNED,
            )
            for v, box in trusted
            if rng.random() < 0.6
        )
        Recipient.objects.bulk_create(recipients)
        HospitalStay.objects.bulk_create(stays)
        in_force = {
            v.plan_id: v
            for v in sorted(
                (v for v in versions if v.signed_at and not v.revoked_at), key=lambda v: v.number
            )
        }
        reads, crises, comments = [], [], []
        for recipient in recipients:
            version = in_force.get(recipient.plan_id)
            if version is None or recipient.withdrawn_at:
                continue
            for _ in range(rng.randint(0, 3)):
                reads.append(
                    ReadRecord(
                        plan_id=recipient.plan_id,
                        version=version,
                        recipient=recipient,
                        channel=ReadRecord.Channel.LINK,
                        read_at=min(
                            timezone.now(),
                            version.signed_at + datetime.timedelta(days=rng.randint(1, 20)),
                        ),
                    )
                )
            if recipient.kind == RecipientKind.CRISIS_SERVICE and rng.random() < 0.5:
                box = boxes[recipient.plan.person_id]
                respected = rng.choices(list(WishesRespected), weights=[60, 30, 10])[0]
                crises.append(
                    CrisisRecord(
                        plan_id=recipient.plan_id,
                        version=version,
                        recipient=recipient,
                        crisis_on=min(today, version.signed_at.date() + datetime.timedelta(30)),
                        respected=respected,
                        why=box.encrypt("Pas de place à la clinique choisie")
                        if respected != WishesRespected.FULLY
                        else "",
                    )
                )
            if recipient.kind == RecipientKind.PSYCHIATRIST and rng.random() < 0.5:
                comments.append(
                    PsychiatristComment(
                        version=version,
                        recipient=recipient,
                        stance=PsychiatristComment.Stance.AGREE,
                    )
                )
        ReadRecord.objects.bulk_create(reads)
        CrisisRecord.objects.bulk_create(crises)
        PsychiatristComment.objects.bulk_create(comments)
        rows["plans"] += len(plans)
        rows["recipients"] += len(recipients)
        rows["reads"] += len(reads)
        rows["crises"] += len(crises)
        rows["stays"] += len(stays)
    ctx.count("plans de prévention partagés", rows["plans"])
    for stage, n in counts.items():
        ctx.count(f"  dont {STAGE_LABELS[stage]}", n)
    ctx.count("destinataires de plans", rows["recipients"])
    ctx.count("consultations de plans en crise", rows["crises"])
    ctx.count("séjours hospitaliers (avec mode légal)", rows["stays"])


STAGE_LABELS = {
    "draft": "brouillons",
    "in_force": "signés, en vigueur",
    "replaced": "remplacés par une version 2",
    "revoked": "retirés par la personne",
    "new_draft": "signés, nouvelle version en préparation",
}


def _stay(org, person_id, admission, rng, compulsory):
    mode = rng.choice(MODES[1:]) if rng.random() < compulsory else LegalMode.FREE
    return HospitalStay(
        organisation=org,
        person_id=person_id,
        admission=admission,
        discharge=min(
            timezone.localdate(), admission + datetime.timedelta(days=rng.randint(3, 35))
        ),
        legal_mode=mode,
    )
