"""Public answering pages: no account, a token in the URL, one question per screen.

A linked questionnaire is saved at each step in a draft bound to the invitation, so the
person can stop and come back. An anonymous one keeps its draft in the page itself (a signed
hidden field sent back at each step), never on the server: no session row is created or
touched, even for a signed-in professional. At the end the sheet goes, sealed, into the pool
of answers waiting for their batch (``pool.py``), never straight into the results.

Pages that carry a token in their address give no address as ``Referer`` (the token would
travel to the next request and its log line), and the answering pages are not kept in the
browser's cache.
"""

from functools import wraps

from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from entrepairs.accompaniment.models import ConsentPurpose, Person
from entrepairs.core.access import public

from ..models import Invitation, LinkedResponse, token_hash
from ..pool import add_to_pool
from ..scoring import AnswerError, clean_answer, clean_answers, score_response


def token_page(*, cache: bool = True):
    """For pages whose address holds a token: the Referer they give is the bare origin, never
    the address (``strict-origin``; ``no-referrer`` would make browsers send ``Origin: null``,
    which the CSRF check refuses), and with ``cache=False`` the browser keeps no copy (the
    back button of a shared tablet)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response["Referrer-Policy"] = "strict-origin"
            if not cache:
                response["Cache-Control"] = "no-store"
            return response

        return wrapped

    return decorator


def unavailable(request, reason: str, status: int):
    """A kind page for a link that no longer works. Says nothing about whose link it was."""
    return render(request, "evaluation/answer_unavailable.html", {"reason": reason}, status=status)


def invitation_for_token(token: str):
    """(invitation, None) when the link can be answered, else (None, (reason, status))."""
    invitation = (
        Invitation.objects.select_related("campaign__instrument_version", "campaign__organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return check_invitation(invitation)


def check_invitation(invitation):
    if invitation is None:
        return None, ("unknown", 404)
    if invitation.is_used:
        return None, ("used", 410)
    if invitation.revoked_at is not None:
        return None, ("revoked", 410)
    # Before the expiry: once a campaign is over, its links all say so, whatever their date.
    if invitation.campaign.is_closed:
        return None, ("closed", 410)
    if invitation.is_expired:
        return None, ("expired", 410)
    if invitation.person_id and not (
        Person.objects.with_consent(ConsentPurpose.EVALUATION)
        .filter(pk=invitation.person_id)
        .exists()
    ):
        return None, ("unknown", 404)
    return invitation, None


class DraftError(ValueError):
    """A draft field that this server did not sign for this link."""


class PageDraft:
    """Anonymous answers in progress, carried by the page: a hidden field signed for this link
    (``signing`` with the token hash as salt), sent back with each step. Nothing is kept on the
    server, so an abandoned questionnaire leaves no trace and nothing follows a completion."""

    FIELD = "draft"
    linked = False

    def __init__(self, request, invitation):
        self.salt = f"entrepairs.evaluation.draft:{invitation.token_hash}"
        self.answers = {}
        raw = request.POST.get(self.FIELD, "") if request.method == "POST" else ""
        if raw:
            try:
                answers = signing.loads(raw, salt=self.salt)
            except signing.BadSignature as exc:
                raise DraftError from exc
            if not isinstance(answers, dict):
                raise DraftError
            self.answers = answers

    def save(self, code, value):
        if value is None:
            self.answers.pop(code, None)
        else:
            self.answers[code] = value

    def hidden_value(self) -> str:
        return signing.dumps(self.answers, salt=self.salt, compress=True)


class LinkedDraft:
    """Linked answers in progress: the LinkedResponse of the invitation, not yet completed."""

    linked = True

    def __init__(self, invitation):
        self.invitation = invitation
        self.response = LinkedResponse.objects.filter(invitation=invitation).first()

    @property
    def answers(self) -> dict:
        return self.response.answers if self.response else {}

    def save(self, code, value):
        if self.response is None:
            campaign = self.invitation.campaign
            self.response = LinkedResponse(
                invitation=self.invitation,
                person_id=self.invitation.person_id,
                accompaniment_id=self.invitation.accompaniment_id,
                campaign=campaign,
                organisation_id=campaign.organisation_id,
                facility_id=self.invitation.facility_id or campaign.facility_id,
                instrument_version_id=campaign.instrument_version_id,
                timepoint=self.invitation.timepoint,
            )
        if value is None:
            self.response.answers.pop(code, None)
        else:
            self.response.answers[code] = value
        self.response.save()

    def hidden_value(self) -> str:
        return ""


def _step(raw, count) -> int | None:
    try:
        step = int(raw)
    except (TypeError, ValueError):
        return None
    return step if 1 <= step <= count else None


def answer_flow(request, invitation, base_url: str, back_url: str = ""):
    """The whole questionnaire for one invitation; ``base_url`` is the page's own address,
    ``back_url`` the person's space when the questionnaire was opened from there (the end
    and the pause then lead back to it).

    Linked: each step is saved, then the browser is sent to the next question (``?q=``).
    Anonymous: the next question is the answer to the step itself, with the draft in it."""
    campaign = invitation.campaign
    definition = campaign.instrument_version.definition
    items = definition["items"]
    count = len(items)
    try:
        draft = LinkedDraft(invitation) if campaign.is_linked else PageDraft(request, invitation)
    except DraftError:
        return unavailable(request, "bad_request", 400)
    context = {
        "definition": definition,
        "count": count,
        "base_url": base_url,
        "linked": campaign.is_linked,
        "validated": campaign.instrument_version.validated,
        "back_url": back_url,
    }

    def show(step, error="", status=200, typed=None):
        # A refused text comes back whole, for the person to shorten: never cut, never lost.
        value = typed if error else draft.answers.get(items[step - 1]["code"])
        return _render_question(request, context, draft, items, step, value, error, status)

    def go_to(step):
        return redirect(f"{base_url}?q={step}") if draft.linked else show(step)

    if request.method == "GET":
        step = _step(request.GET.get("q"), count)
        if step is None:
            context["resume"] = bool(draft.answers)
            return render(request, "evaluation/answer_intro.html", context)
        return show(step)

    step = _step(request.POST.get("q"), count)
    if step is None:
        return unavailable(request, "bad_request", 400)
    item = items[step - 1]
    action = request.POST.get("action", "next")
    if action == "previous":
        return go_to(max(step - 1, 1))
    raw = (
        request.POST.getlist(item["code"])
        if item["type"] == "multiple_choice"
        else request.POST.get(item["code"])
    )
    try:
        value = clean_answer(item, raw)
    except AnswerError as exc:
        typed = raw if item["type"] == "free_text" and isinstance(raw, str) else None
        return show(step, error=str(exc), status=400, typed=typed)
    if value is None and item["required"] and action != "stop":
        return show(step, error=_("Choisissez une réponse pour continuer."))
    draft.save(item["code"], value)
    if action == "stop" and campaign.is_linked:
        return render(request, "evaluation/answer_paused.html", context)
    if step < count:
        return go_to(step + 1)
    return _finish(request, invitation, definition, draft, items, show, back_url)


def _finish(request, invitation, definition, draft, items, show, back_url=""):
    try:
        answers = clean_answers(definition, draft.answers, complete=True)
    except AnswerError:
        missing = next(
            (
                i
                for i, item in enumerate(items, 1)
                if item["required"] and item["code"] not in draft.answers
            ),
            1,
        )
        return show(missing, error=_("Il manque une réponse à cette question."))
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update().select_related("campaign").get(pk=invitation.pk)
        )
        locked, problem = check_invitation(locked)
        if problem:
            return unavailable(request, *problem)
        campaign = locked.campaign
        if campaign.is_linked:
            response = draft.response
            response.answers = answers
            response.scores = score_response(definition, answers)
            response.completed_at = timezone.now()
            response.save()
        else:
            # Sealed into the pool, never into the results in this transaction: see pool.py.
            add_to_pool(campaign, locked.facility_id or campaign.facility_id, answers)
        locked.is_used = True
        locked.save(update_fields=["is_used"])
    if back_url:  # from the person's space (always linked): back to it, with the thanks
        messages.success(request, _("Merci ! Vos réponses ont bien été enregistrées."))
        return redirect(back_url)
    return redirect("evaluation:answer_thanks")


def _render_question(request, context, draft, items, step, value, error="", status=200):
    item = items[step - 1]
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    choices = []
    if item["type"] == "zero_to_ten":
        choices = [{"code": str(n), "label": str(n)} for n in range(11)]
        if item.get("min_label"):
            choices[0]["label"] = f"0 – {item['min_label']}"
        if item.get("max_label"):
            choices[10]["label"] = f"10 – {item['max_label']}"
    elif "options" in item:
        choices = item["options"]
    selected = value if isinstance(value, list) else ([value] if value else [])
    return render(
        request,
        "evaluation/answer_question.html",
        {
            **context,
            "item": item,
            "step": step,
            "choices": choices,
            "selected": selected,
            "text_value": value if item["type"] == "free_text" else "",
            "error": error,
            "draft_field": PageDraft.FIELD,
            "draft_value": draft.hidden_value(),
            "is_last": step == context["count"],
            "percent": round(100 * (step - 1) / context["count"]),
        },
        status=status,
    )


@public
@token_page(cache=False)
@require_http_methods(["GET", "POST"])
def answer(request, token):
    invitation, problem = invitation_for_token(token)
    if problem:
        return unavailable(request, *problem)
    return answer_flow(request, invitation, reverse("evaluation:answer", args=[token]))


@public
def answer_thanks(request):
    return render(request, "evaluation/answer_thanks.html")


@public
@token_page()
def invitation_qr(request, token):
    """The QR code of a link that can still be answered (SVG download, for e-mails)."""
    from django.http import HttpResponse

    from ..qr import qr_svg

    invitation, problem = invitation_for_token(token)
    if problem:
        raise Http404
    url = request.build_absolute_uri(reverse("evaluation:answer", args=[token]))
    response = HttpResponse(
        qr_svg(url, _("Code QR du questionnaire")), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "no-store"
    return response
