"""Plans at every stage, for the prevention tests."""

from entrepairs.evaluation.models import PersonSpaceLink
from entrepairs.prevention.models import PreventionPlan, RecipientKind, SignatureMeans
from entrepairs.prevention.operations import add_recipient, open_draft, save_draft, sign
from tests.accompaniment.factories import make_person

SECRET = "Je refuse le Haldol : il me fige"

SECTIONS = {
    "keeps_well": "Marcher le matin",
    "early_signs": "Je dors moins de 4 heures",
    "treatments_refused": SECRET,
    "card_contact_name": "Ma sœur Zéphyrine",
    "card_contact_phone": "06 12 34 56 78",
}


def draft_data(draft, **texts):
    data = {"revision": draft.revision, **(texts or SECTIONS)}
    data.setdefault("trusted_name", "")
    return data


def make_plan(world, org_key="a", *, signed=True, person=None, trusted=False, **texts):
    """A plan of a person of org a/b, with a draft (and signed, by default)."""
    person = person or make_person(world, org_key)
    plan = PreventionPlan.start_for(person)
    draft = open_draft(plan)
    data = draft_data(draft, **texts)
    if trusted:
        data.update(
            trusted_name="Zéphyrine Quintalba",
            trusted_relationship="ma sœur",
            trusted_contact="06 12 34 56 78",
            trusted_agreement="cosigned",
            trusted_agreed_on=person.created_at.date(),
        )
    save_draft(draft, data)
    if signed:
        sign(draft, draft.revision, SignatureMeans.IN_PERSON)
    plan.__dict__.pop("_versions", None)
    return plan


def share(plan, kind=RecipientKind.PSYCHIATRIST, name="Dr Kerbrat, CMP"):
    return add_recipient(plan, kind, name, "oral")


def space_token(person) -> str:
    return PersonSpaceLink.issue(person)[1]


def signed_on(person, day, revoked_on=None):
    """A plan whose first version was signed on ``day`` (inserted as signed: the past)."""
    import datetime

    from django.utils import timezone

    from entrepairs.prevention.models import PlanVersion

    plan = PreventionPlan.start_for(person)
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    revoked = (
        timezone.make_aware(datetime.datetime.combine(revoked_on, datetime.time(10)))
        if revoked_on
        else None
    )
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        content=plan.box.encrypt_json(SECTIONS),
        signed_at=at,
        signed_means=SignatureMeans.IN_PERSON,
        revoked_at=revoked,
        revoked_means=SignatureMeans.IN_PERSON if revoked else "",
    )
    return plan
