"""The person's own space, opened by a personal magic link that a peer gives or prints."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from entrepairs.accompaniment.access import get_person_for
from entrepairs.accompaniment.models import Consent, ConsentPurpose, Person
from entrepairs.core.access import public, roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import AccessEvent, Action
from entrepairs.core.roles import Role

from ..access import SPACE_LINK_ISSUERS, person_of_space_token
from ..models import Invitation, PersonSpaceLink
from ..qr import qr_svg
from .answering import answer_flow, check_invitation, token_page, unavailable

ACCESS_ROWS = 200


def current_consents(person) -> list[dict]:
    """The decision in force for each purpose (latest row), with its date."""
    latest = {}
    for consent in person.consents.order_by("-recorded_at", "-pk"):
        latest.setdefault(consent.purpose, consent)
    return [
        {"purpose": purpose, "label": label, "consent": latest.get(purpose)}
        for purpose, label in ConsentPurpose.choices
    ]


ROLE_LABELS = {**dict(Role.choices), "person": gettext_lazy("vous-même, depuis votre espace")}


@public
@token_page()
def space(request, token):
    person = person_of_space_token(token)
    if person is None:
        return unavailable(request, "unknown", 404)
    request.person_space = person
    log_access(request, Action.VIEW, person)
    accesses = [
        {
            "date": event.created_at,
            "role": ROLE_LABELS.get(event.role, event.role or _("non précisé")),
            "action": event.get_action_display(),
            "by_person": event.by_person,
        }
        for event in AccessEvent.objects.about("accompaniment.person", person.pk)
        .order_by("-created_at", "-pk")
        .distinct()[:ACCESS_ROWS]
    ]
    # Only while the person may be invited (evaluation consent, record not frozen): the
    # withdrawal deletes pending invitations, this also hides one issued in the same instant.
    waiting = (
        Invitation.objects.pending()
        .filter(person__in=Person.objects.evaluable().filter(pk=person.pk))
        .filter(campaign__mode="linked")
        .select_related("campaign__instrument_version")
        .order_by("expires_at")
    )
    return render(
        request,
        "evaluation/person_space.html",
        {
            "person": person,
            "token": token,
            "consents": current_consents(person),
            "waiting": waiting,
            "accesses": accesses,
        },
    )


@public
@token_page()
@require_POST
def space_withdraw(request, token, purpose):
    person = person_of_space_token(token)
    if person is None:
        return unavailable(request, "unknown", 404)
    if purpose not in ConsentPurpose.values:
        return unavailable(request, "bad_request", 400)
    request.person_space = person
    given = Consent.current_given(purpose).filter(person=person).exists()
    if given:
        with transaction.atomic():
            consent = Consent.decide(person, purpose, False, Consent.Means.PERSON_SPACE)
            log_access(request, Action.UPDATE, person)
        messages.success(
            request,
            _("C'est fait : vous avez retiré votre accord pour « %(purpose)s ».")
            % {"purpose": consent.get_purpose_display()},
        )
    return redirect("evaluation:space", token=token)


@public
@token_page(cache=False)
@require_http_methods(["GET", "POST"])
def space_answer(request, token, invitation_pk):
    person = person_of_space_token(token)
    if person is None:
        return unavailable(request, "unknown", 404)
    invitation = (
        Invitation.objects.select_related("campaign__instrument_version")
        .filter(pk=invitation_pk, person=person)
        .first()
    )
    invitation, problem = check_invitation(invitation)
    if problem:
        return unavailable(request, *problem)
    return answer_flow(
        request, invitation, reverse("evaluation:space_answer", args=[token, invitation.pk])
    )


@roles_required(SPACE_LINK_ISSUERS)
def person_space_link(request, pk):
    """Give a person a new link to their space (printed or sent); older links stop working."""
    person = get_person_for(request, pk)
    context = {"person": person}
    if request.method == "POST":
        with transaction.atomic():
            link, token = PersonSpaceLink.issue(person, created_by=request.user)
            log_access(request, Action.CREATE, person)
        url = request.build_absolute_uri(reverse("evaluation:space", args=[token]))
        context.update(
            url=url,
            expires_at=link.expires_at,
            qr=qr_svg(url, _("Code QR de l'espace personnel")),
        )
    else:
        log_access(request, Action.VIEW, person)
        context["active"] = PersonSpaceLink.objects.active().filter(person=person).first()
    context["now"] = timezone.now()
    return render(request, "evaluation/person_space_link.html", context)
