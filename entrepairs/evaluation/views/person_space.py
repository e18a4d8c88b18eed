"""The person's own space, opened by a personal magic link that a peer gives or prints."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from entrepairs.accompaniment.access import get_person_for
from entrepairs.accompaniment.models import Consent, ConsentPurpose, Person
from entrepairs.core.access import public, roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import AccessEvent, Action
from entrepairs.core.roles import Role

from ..access import SPACE_LINK_ISSUERS, person_of_space_token, space_token_problem
from ..models import Campaign, Invitation, PersonSpaceLink
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


# The questionnaires' names in the words of the person who answers them (a validated scale
# keeps its exact title inside the questionnaire; its button says what it is about).
PERSON_TITLES = {
    "who-5": gettext_lazy("Comment je me sens ces deux dernières semaines"),
    "satisfaction-personnes": gettext_lazy("Mon avis sur l'accompagnement"),
}


def person_title(version) -> str:
    """The name of a questionnaire for the person: plain words, else its own title."""
    code = version.instrument.code
    return str(PERSON_TITLES.get(code) or version.definition.get("title") or code)


def timepoint_label(campaign, timepoint) -> str:
    """When the questionnaire is asked, in plain words ("6 mois après le début")."""
    if timepoint == Campaign.Timepoint.MONTHS and campaign.months_after:
        return _("%(n)s mois après le début de l'accompagnement") % {"n": campaign.months_after}
    labels = dict(Campaign.Timepoint.choices)
    return str(labels.get(timepoint, timepoint))


ROLE_LABELS = {**dict(Role.choices), "person": gettext_lazy("vous-même, depuis votre espace")}


@public
@token_page()
def space(request, token):
    person = person_of_space_token(token)
    if person is None:
        return unavailable(request, *space_token_problem(token))
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
    waiting = [
        {
            "invitation": invitation,
            "title": person_title(invitation.campaign.instrument_version),
            "timepoint": timepoint_label(invitation.campaign, invitation.timepoint),
        }
        for invitation in Invitation.objects.pending()
        .filter(person__in=Person.objects.evaluable().filter(pk=person.pk))
        .filter(campaign__mode="linked")
        .select_related("campaign__instrument_version__instrument")
        .order_by("expires_at")
    ]
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


def _space_decision(request, token, purpose, *, given: bool):
    """The person withdraws (``given=False``) or gives (``given=True``) a consent from their
    space. GET asks for a confirmation that says what follows; POST records it, at once."""
    person = person_of_space_token(token)
    if person is None:
        return unavailable(request, *space_token_problem(token))
    if purpose not in ConsentPurpose.values:
        return unavailable(request, "bad_request", 400)
    request.person_space = person
    label = ConsentPurpose(purpose).label
    in_force = Consent.current_given(purpose).filter(person=person).exists()
    if in_force == given:  # nothing to change (a second tap, an old page)
        return redirect("evaluation:space", token=token)
    if request.method == "POST":
        with transaction.atomic():
            Consent.decide(person, purpose, given, Consent.Means.PERSON_SPACE)
            log_access(request, Action.UPDATE, person)
        if given:
            text = _("C'est fait : vous avez donné votre accord pour « %(purpose)s ».")
        else:
            text = _("C'est fait : vous avez retiré votre accord pour « %(purpose)s ».")
        messages.success(request, text % {"purpose": label})
        return redirect("evaluation:space", token=token)
    return render(
        request,
        "evaluation/space_consent_confirm.html",
        {"token": token, "purpose": purpose, "label": label, "given": given},
    )


@public
@token_page()
@require_http_methods(["GET", "POST"])
def space_withdraw(request, token, purpose):
    return _space_decision(request, token, purpose, given=False)


@public
@token_page()
@require_http_methods(["GET", "POST"])
def space_give(request, token, purpose):
    return _space_decision(request, token, purpose, given=True)


@public
@token_page(cache=False)
@require_http_methods(["GET", "POST"])
def space_answer(request, token, invitation_pk):
    person = person_of_space_token(token)
    if person is None:
        return unavailable(request, *space_token_problem(token))
    invitation = (
        Invitation.objects.select_related("campaign__instrument_version")
        .filter(pk=invitation_pk, person=person)
        .first()
    )
    invitation, problem = check_invitation(invitation)
    if problem:
        return unavailable(request, *problem)
    return answer_flow(
        request,
        invitation,
        reverse("evaluation:space_answer", args=[token, invitation.pk]),
        back_url=reverse("evaluation:space", args=[token]),
    )


def _link_sheet(request, link) -> dict:
    token = link.reprint_token()
    if token is None:
        return {"active": link, "unprintable": True}
    url = request.build_absolute_uri(reverse("evaluation:space", args=[token]))
    return {
        "active": link,
        "url": url,
        "qr": qr_svg(url, _("Code QR de l'espace personnel")),
    }


@roles_required(SPACE_LINK_ISSUERS)
@require_http_methods(["GET", "POST"])
def person_space_link(request, pk):
    """The link to a person's space, to print or copy. It is created once (POST) and shown
    again, the same, on every visit (each display logged): reloading never replaces it.
    Replacing it means withdrawing it first (``person_space_link_revoke``), on purpose."""
    person = get_person_for(request, pk)
    active = PersonSpaceLink.objects.active().filter(person=person).first()
    if request.method == "POST":
        if active is None:
            with transaction.atomic():
                PersonSpaceLink.issue(person, created_by=request.user)
                log_access(request, Action.CREATE, person)
            messages.success(request, _("Lien créé : vous pouvez l'imprimer."))
        return redirect("evaluation:person_space_link", pk=person.pk)
    log_access(request, Action.VIEW, person)
    context = {"person": person, "now": timezone.now()}
    if active is not None:
        context.update(_link_sheet(request, active))
    return render(request, "evaluation/person_space_link.html", context)


@roles_required(SPACE_LINK_ISSUERS)
@require_http_methods(["GET", "POST"])
def person_space_link_revoke(request, pk):
    """Withdraw the person's link (lost, seen by someone else): GET asks for confirmation,
    POST withdraws. The withdrawn link keeps saying it was withdrawn."""
    person = get_person_for(request, pk)
    active = PersonSpaceLink.objects.active().filter(person=person).first()
    if active is None:
        messages.info(request, _("Cette personne n'a pas de lien en cours : rien à retirer."))
        return redirect("evaluation:person_space_link", pk=person.pk)
    if request.method == "POST":
        with transaction.atomic():
            PersonSpaceLink.objects.filter(person=person, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            log_access(request, Action.UPDATE, person)
        messages.success(request, _("Lien retiré : il n'ouvre plus l'espace de la personne."))
        return redirect("evaluation:person_space_link", pk=person.pk)
    log_access(request, Action.VIEW, person)
    return render(
        request, "evaluation/person_space_link_revoke.html", {"person": person, "active": active}
    )
