"""The person's own pages about their plan, under their personal space link: read the plan,
sign a draft, prepare changes for the next meeting, see who received and read it and the
crisis records, withdraw a recipient, download the PDF and the card, revoke the plan."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from entrepairs.core.access import public
from entrepairs.core.audit import log_access
from entrepairs.core.models import AccessEvent, Action
from entrepairs.core.roles import Role

from ..access import plan_of_space_token
from ..forms import PersonNotesForm, RevokeFromSpaceForm, SignFromSpaceForm
from ..models import Recipient, SignatureMeans, StaleDraftError
from ..operations import NothingToSign, revoke, save_person_notes, sign
from ..pdf import card_pdf, plan_pdf
from ..reading import crises_of, reading_of, reads_of, recipients_of
from .shared import mask_token, unavailable
from .staff import _pdf_response

STAFF_ACCESS_ROWS = 100
ROLE_LABELS = {**dict(Role.choices)}  # labels, not a rule of access


def _open(request, token):
    """(person, plan) of the space token, or (None, None) when the link is not valid."""
    mask_token(request, token)
    person, plan = plan_of_space_token(token)
    if person is not None:
        request.person_space = person
    return person, plan


@public
@never_cache
@require_http_methods(["GET"])
def space(request, token):
    person, plan = _open(request, token)
    if person is None:
        return unavailable(request, "unknown", 404)
    context = {"person": person, "plan": plan, "token": token}
    if plan is not None:
        in_force = plan.in_force
        draft = plan.draft
        context.update(
            in_force=reading_of(in_force) if in_force else None,
            latest_signed=plan.latest_signed,
            draft=draft if draft and not draft.is_empty() else None,
            recipients=recipients_of(plan),
            reads=reads_of(plan),
            crises=crises_of(plan),
            notes_form=PersonNotesForm(initial={"notes": plan.notes_text()}),
            revoke_form=RevokeFromSpaceForm() if in_force else None,
            staff_accesses=[
                {
                    "date": e.created_at,
                    "role": ROLE_LABELS.get(e.role, e.role),
                    "action": e.get_action_display(),
                }
                for e in AccessEvent.objects.about("prevention.preventionplan", plan.pk)
                .filter(by_person=False, user__isnull=False)
                .order_by("-created_at", "-pk")
                .distinct()[:STAFF_ACCESS_ROWS]
            ],
        )
        log_access(request, Action.VIEW, plan)
    return render(request, "prevention/space.html", context)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def space_sign(request, token):
    """The person reads the draft prepared with their peer and signs it themself."""
    person, plan = _open(request, token)
    if person is None or plan is None or plan.draft is None:
        return unavailable(request, "unknown", 404)
    draft = plan.draft
    form = SignFromSpaceForm(request.POST or None, initial={"revision": draft.revision})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                sign(draft, form.cleaned_data["revision"], SignatureMeans.PERSON_SPACE)
                log_access(request, Action.UPDATE, draft)
        except StaleDraftError:
            form.add_error(
                None,
                _(
                    "Le brouillon a changé pendant que vous le lisiez. Rien n'est signé. "
                    "Relisez-le, puis signez."
                ),
            )
        except NothingToSign:
            form.add_error(None, _("Le brouillon est vide : il n'y a rien à signer."))
        else:
            messages.success(request, _("C'est fait : votre plan est signé."))
            return redirect("prevention:space", token=token)
    log_access(request, Action.VIEW, plan)
    return render(
        request,
        "prevention/space_sign.html",
        {"token": token, "form": form, "reading": reading_of(draft)},
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def space_revoke(request, token):
    person, plan = _open(request, token)
    if person is None or plan is None or plan.in_force is None:
        return unavailable(request, "unknown", 404)
    form = RevokeFromSpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            revoke(plan.in_force, SignatureMeans.PERSON_SPACE)
            log_access(request, Action.UPDATE, plan)
        messages.success(request, _("C'est fait : votre plan est retiré. Plus personne ne le lit."))
        return redirect("prevention:space", token=token)
    return render(request, "prevention/space_revoke.html", {"token": token, "form": form})


@public
@never_cache
@require_POST
def space_notes(request, token):
    person, plan = _open(request, token)
    if person is None or plan is None:
        return unavailable(request, "unknown", 404)
    form = PersonNotesForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            save_person_notes(plan, form.cleaned_data["notes"])
            log_access(request, Action.UPDATE, plan)
        messages.success(request, _("C'est noté pour votre prochaine rencontre."))
        return redirect("prevention:space", token=token)
    messages.error(
        request,
        _("Ce texte est trop long (1000 caractères au plus) : rien n'a été enregistré."),
    )
    return redirect("prevention:space", token=token)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def space_withdraw(request, token, pk):
    """The person withdraws one sharing. GET says what follows and asks to confirm; POST
    withdraws: that recipient's link stops working at once."""
    person, plan = _open(request, token)
    if person is None or plan is None:
        return unavailable(request, "unknown", 404)
    recipient = Recipient.objects.filter(plan=plan, pk=pk).first()
    if recipient is None:
        return unavailable(request, "unknown", 404)
    recipient.plan = plan
    if not recipient.is_active:
        return redirect("prevention:space", token=token)
    if request.method == "POST":
        with transaction.atomic():
            recipient.withdraw(Recipient.ConsentMeans.PERSON_SPACE)
            log_access(request, Action.UPDATE, recipient)
        messages.success(
            request,
            _("C'est fait : %(who)s ne peut plus lire votre plan.") % {"who": recipient.label()},
        )
        return redirect("prevention:space", token=token)
    return render(
        request,
        "prevention/space_withdraw.html",
        {"token": token, "recipient": recipient},
    )


@public
@never_cache
@require_http_methods(["GET"])
def space_pdf(request, token):
    person, plan = _open(request, token)
    version = (plan.in_force or plan.latest_signed) if plan else None
    if version is None:
        return unavailable(request, "unknown", 404)
    reading = reading_of(version)
    log_access(request, Action.EXPORT, plan)
    return _pdf_response(
        plan_pdf(version, reading["trusted"], reading["comments"]),
        f"mon-plan-de-prevention-{timezone.localdate():%Y%m%d}.pdf",
    )


@public
@never_cache
@require_http_methods(["GET"])
def space_card(request, token):
    person, plan = _open(request, token)
    version = plan.in_force if plan else None
    if version is None:
        return unavailable(request, "unknown", 404)
    reading = reading_of(version)
    log_access(request, Action.EXPORT, plan)
    return _pdf_response(
        card_pdf(version, reading["card"], reading["trusted"]), "ma-carte-plan-prevention.pdf"
    )
