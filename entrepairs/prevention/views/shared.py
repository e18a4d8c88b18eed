"""What a recipient sees through their own link: the plan in force, a form to record that it
was consulted in a crisis and, for the psychiatrist, a form to comment on it.

The link is the key (public pages): a withdrawn recipient or a replaced link open nothing at
once and say so (410), an unknown link answers 404; every read is recorded for the person
to see."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from entrepairs.core.access import public
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action

from ..access import link_problem, recipient_of_token
from ..forms import CommentForm, CrisisForm
from ..models import ReadRecord, RecipientKind
from ..operations import add_comment, record_crisis, record_read
from ..reading import reading_of


def mask_token(request, token) -> None:
    """The audit keeps the path without the token: a copy of the log opens no link."""
    request.audit_path = request.path.replace(token, "<jeton>") if token else request.path


def unavailable(request, reason: str, status: int):
    """A page that says nothing about whose plan it was."""
    return render(request, "prevention/unavailable.html", {"reason": reason}, status=status)


def _recipient_and_version(request, token):
    """(recipient, version in force) or an error response."""
    mask_token(request, token)
    recipient = recipient_of_token(token)
    if recipient is None:
        return None, None, unavailable(request, *link_problem(token))
    version = recipient.plan.in_force
    if version is None:
        # 200, not 410: Django logs 4xx responses with their path, hence the token.
        return recipient, None, unavailable(request, "not_in_force", 200)
    request.audit_role = f"recipient:{recipient.kind}"
    return recipient, version, None


@public
@never_cache
@require_http_methods(["GET"])
def shared(request, token):
    recipient, version, problem = _recipient_and_version(request, token)
    if problem:
        return problem
    plan = recipient.plan
    with transaction.atomic():
        record_read(plan, version, ReadRecord.Channel.LINK, recipient)
        log_access(request, Action.VIEW, plan)
    return render(
        request,
        "prevention/shared.html",
        {
            "token": token,
            "recipient": recipient,
            "reading": reading_of(version),
            "is_psychiatrist": recipient.kind == RecipientKind.PSYCHIATRIST,
        },
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def shared_crisis(request, token):
    """Any recipient records that the plan was consulted during a crisis, and whether the
    person's wishes were respected."""
    recipient, version, problem = _recipient_and_version(request, token)
    if problem:
        return problem
    form = CrisisForm(request.POST or None, signed_on=version.signed_at.date())
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            crisis = record_crisis(recipient, version, form.cleaned_data)
            log_access(request, Action.CREATE, crisis)
        messages.success(request, _("Merci : c'est noté. La personne le verra dans son espace."))
        return redirect("prevention:shared", token=token)
    return render(request, "prevention/shared_crisis.html", {"token": token, "form": form})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def shared_comment(request, token):
    """The psychiatrist adds their agreement, or a reasoned disagreement, next to the
    signed version; the version itself never changes."""
    recipient, version, problem = _recipient_and_version(request, token)
    if problem:
        return problem
    if recipient.kind != RecipientKind.PSYCHIATRIST:
        return unavailable(request, "unknown", 404)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            comment = add_comment(recipient, version, form.cleaned_data)
            log_access(request, Action.CREATE, comment)
        messages.success(request, _("Votre avis est ajouté au plan. La personne le verra."))
        return redirect("prevention:shared", token=token)
    return render(
        request,
        "prevention/shared_comment.html",
        {"token": token, "form": form, "version": version},
    )
