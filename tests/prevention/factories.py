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
    "card_contact_name": "Ma sœur Julie",
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
            trusted_name="Julie Vasseur",
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
