"""Who may do what with prevention plans, and the getters every prevention view starts with.

- The person's peers (those who accompany them) write the drafts with the person, record a
  signature given in person, the recipients the person chooses, a revocation, and read the
  content: ``PLAN_WRITERS``.
- Coordinators and professionals who may see the person see that a plan exists and its
  dates, never its content (``PLAN_STATUS_READERS``). A coordinator named as a recipient
  reads it like every recipient: through their own link.
- Recipients (psychiatrist, CMP team, personne de confiance, relative, crisis service) read
  through their own link, a token whose hash only is stored: the token is the key, the pages
  are public by design. So is the person's space (their space token).
- The outcomes page: the roles of the evaluation outcomes page.

Getters answer 404 for anything the current membership may not see (``visible_to()``).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from entrepairs.accompaniment.access import get_person_for
from entrepairs.core.roles import CARE_ROLES, MANAGER_ROLES, OBSERVER_ROLES, Role
from entrepairs.evaluation.access import person_of_space_token

from .models import PreventionPlan, Recipient, RetiredLink, token_hash

PLAN_WRITERS = frozenset({Role.PEER})
PLAN_STATUS_READERS = CARE_ROLES
OUTCOME_READERS = MANAGER_ROLES | OBSERVER_ROLES


def can_read_content(membership) -> bool:
    """Only the person's peers read the plan in the application (they write it with the
    person); every other reader is a recipient the person chose, through their link."""
    return membership is not None and membership.role in PLAN_WRITERS


def get_person_and_plan_for(request, pk):
    """(person, plan or None) for the person ``pk`` the membership may see, else 404."""
    person = get_person_for(request, pk)
    plan = PreventionPlan.objects.filter(person=person).select_related("person").first()
    return person, plan


def get_plan_for(request, pk) -> PreventionPlan:
    """The plan of the person ``pk``, or 404 (no plan yet, or a person not visible)."""
    person, plan = get_person_and_plan_for(request, pk)
    if plan is None:
        raise Http404
    return plan


def get_recipient_for(request, pk) -> Recipient:
    recipients = Recipient.objects.visible_to(request.membership).select_related("plan__person")
    return get_object_or_404(recipients, pk=pk)


def recipient_of_token(token: str) -> Recipient | None:
    """The recipient whose link is ``token`` while the sharing is in force, else None.

    A withdrawn recipient has no token hash any more, an anonymised person's plan no key:
    both answer as an unknown link."""
    if not token:
        return None
    return (
        Recipient.objects.active()
        .filter(
            token_hash=token_hash(token),
            plan__person__anonymised_at__isnull=True,
        )
        .exclude(plan__wrapped_key="")
        .select_related("plan__person")
        .first()
    )


def link_problem(token: str) -> tuple[str, int]:
    """Why ``token`` opens no plan, as (reason, status) for ``unavailable``: a link replaced
    by a new one, or whose sharing was withdrawn, keeps saying so; a forged link, or one of
    an anonymised person, is simply unknown."""
    retired = (
        RetiredLink.objects.filter(
            token_hash=token_hash(token or ""),
            recipient__plan__person__anonymised_at__isnull=True,
        )
        .only("reason")
        .first()
    )
    if retired is None:
        return "unknown", 404
    return retired.reason, 410


def plan_of_space_token(token: str):
    """(person, plan or None) for an active person space link, else (None, None)."""
    person = person_of_space_token(token)
    if person is None:
        return None, None
    plan = PreventionPlan.objects.filter(person=person).exclude(wrapped_key="").first()
    return person, plan
