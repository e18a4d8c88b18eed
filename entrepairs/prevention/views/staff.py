"""The plan in the application: the peer writes it with the person, records the signature
given in person, the sharing the person chooses and a revocation. Coordinators and
professionals see that a plan exists and its dates, never its content."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.evaluation.qr import qr_svg

from ..access import (
    PLAN_STATUS_READERS,
    PLAN_WRITERS,
    can_read_content,
    get_person_and_plan_for,
    get_plan_for,
    get_recipient_for,
)
from ..forms import DraftForm, RecipientForm, RevokeForm, SignInPersonForm
from ..models import (
    ImmutableVersionError,
    PreventionPlan,
    ReadRecord,
    Recipient,
    SignatureMeans,
    StaleDraftError,
)
from ..operations import (
    NothingToSign,
    add_recipient,
    open_draft,
    record_read,
    revoke,
    save_draft,
    sign,
)
from ..pdf import card_pdf, plan_pdf
from ..reading import crises_of, draft_initial, reading_of, reads_of, recipients_of

STALE = gettext_lazy(
    "Le brouillon a été modifié par quelqu'un d'autre pendant que vous écriviez : rien n'a été "
    "enregistré. Rechargez la page pour voir la dernière version, puis recommencez."
)
SIGNED = gettext_lazy(
    "Cette version est signée : elle ne peut plus être modifiée. Rien n'a été enregistré. "
    "Pour changer le plan, commencez une nouvelle version."
)
EMPTY = gettext_lazy("Le plan est vide : écrivez au moins une rubrique avant de le signer.")


@roles_required(PLAN_STATUS_READERS)
@never_cache
def plan_detail(request, pk):
    """The plan of a person: everything for their peer; its dates only for the others."""
    person, plan = get_person_and_plan_for(request, pk)
    context = {"person": person, "plan": plan, "can_read": can_read_content(request.membership)}
    if plan is not None and not plan.is_erased:
        context["versions"] = plan.versions_list()
        context["active_recipients"] = plan.recipients.filter(withdrawn_at__isnull=True).count()
        context["crisis_dates"] = list(plan.crises.values_list("crisis_on", flat=True))
        if context["can_read"]:
            in_force = plan.in_force
            context.update(
                in_force=reading_of(in_force) if in_force else None,
                draft=plan.draft,
                recipients=recipients_of(plan),
                reads=reads_of(plan),
                crises=crises_of(plan),
                person_notes=plan.notes_text(),
            )
            if in_force:
                with transaction.atomic():
                    record_read(plan, in_force, ReadRecord.Channel.PEER)
                    log_access(request, Action.VIEW, plan)
                return render(request, "prevention/plan_detail.html", context)
    if plan is not None:
        log_access(request, Action.VIEW, plan)
    return render(request, "prevention/plan_detail.html", context)


@roles_required(PLAN_WRITERS)
@never_cache
@require_POST
def draft_start(request, pk):
    """Open the draft (the first one, or a new version starting from the signed one)."""
    person, plan = get_person_and_plan_for(request, pk)
    with transaction.atomic():
        if plan is None:
            plan = PreventionPlan.start_for(person, request.user)
            log_access(request, Action.CREATE, plan)
        had_draft = plan.draft is not None
        draft = open_draft(plan, request.user)
        if not had_draft:
            log_access(request, Action.CREATE, draft)
    return redirect("prevention:draft_edit", pk=person.pk)


@roles_required(PLAN_WRITERS)
@never_cache
def draft_edit(request, pk):
    plan = get_plan_for(request, pk)
    person = plan.person
    draft = plan.draft
    if draft is None:
        messages.info(request, _("Il n'y a pas de brouillon en cours : commencez-en un."))
        return redirect("prevention:plan", pk=person.pk)
    form = DraftForm(request.POST or None, initial=draft_initial(draft))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["version_id"] != draft.pk:
            form.add_error(None, SIGNED)
        else:
            try:
                with transaction.atomic():
                    save_draft(draft, {**form.section_texts(), **_trusted(data)}, request.user)
                    log_access(request, Action.UPDATE, draft)
            except StaleDraftError:
                form.add_error(None, STALE)
            except ImmutableVersionError:
                form.add_error(None, SIGNED)
            else:
                messages.success(request, _("Le brouillon est enregistré."))
                return redirect("prevention:plan", pk=person.pk)
    log_access(request, Action.VIEW, draft)
    return render(
        request,
        "prevention/draft_form.html",
        {"person": person, "plan": plan, "draft": draft, "form": form},
    )


def _trusted(data):
    keys = ("revision", "trusted_name", "trusted_contact", "trusted_relationship")
    return {
        **{k: data[k] for k in keys},
        "trusted_agreement": data.get("trusted_agreement", ""),
        "trusted_agreed_on": data.get("trusted_agreed_on"),
    }


@roles_required(PLAN_WRITERS)
@never_cache
def draft_sign(request, pk):
    """The person signs in person: the peer shows them the draft and records it."""
    plan = get_plan_for(request, pk)
    person, draft = plan.person, plan.draft
    if draft is None:
        messages.info(request, _("Il n'y a pas de brouillon à signer."))
        return redirect("prevention:plan", pk=person.pk)
    form = SignInPersonForm(request.POST or None, initial={"revision": draft.revision})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                sign(draft, form.cleaned_data["revision"], SignatureMeans.IN_PERSON, request.user)
                log_access(request, Action.UPDATE, draft)
        except StaleDraftError:
            form.add_error(None, STALE)
        except NothingToSign:
            form.add_error(None, EMPTY)
        else:
            messages.success(
                request,
                _(
                    "Le plan est signé. Cette version ne changera plus ; elle remplace la précédente."
                ),
            )
            return redirect("prevention:plan", pk=person.pk)
    log_access(request, Action.VIEW, draft)
    return render(
        request,
        "prevention/sign.html",
        {"person": person, "form": form, "reading": reading_of(draft)},
    )


@roles_required(PLAN_WRITERS)
@never_cache
def plan_revoke(request, pk):
    plan = get_plan_for(request, pk)
    person, version = plan.person, plan.in_force
    if version is None:
        messages.info(request, _("Aucun plan signé n'est en vigueur."))
        return redirect("prevention:plan", pk=person.pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            revoke(version, SignatureMeans.IN_PERSON, request.user)
            log_access(request, Action.UPDATE, version)
        messages.success(request, _("Le plan est retiré : plus personne ne peut le lire."))
        return redirect("prevention:plan", pk=person.pk)
    log_access(request, Action.VIEW, plan)
    return render(
        request, "prevention/revoke.html", {"person": person, "form": form, "version": version}
    )


@roles_required(PLAN_WRITERS)
@never_cache
def recipient_add(request, pk):
    """The person names someone who receives their plan; then their link is shown (and can
    be shown again, the same, on the recipient's link page)."""
    person, plan = get_person_and_plan_for(request, pk)
    form = RecipientForm(request.POST or None)
    context = {"person": person, "plan": plan, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            if plan is None:
                plan = PreventionPlan.start_for(person, request.user)
                log_access(request, Action.CREATE, plan)
            recipient, _token = add_recipient(
                plan, data["kind"], data["name"], data["means"], request.user
            )
            log_access(request, Action.CREATE, recipient)
        messages.success(request, _("Le partage est enregistré : voici son lien à donner."))
        return redirect("prevention:recipient_link", pk=recipient.pk)
    if plan is not None:
        log_access(request, Action.VIEW, plan)
    return render(request, "prevention/recipient_form.html", context)


@roles_required(PLAN_WRITERS)
@never_cache
@require_http_methods(["GET"])
def recipient_link(request, pk):
    """The recipient's link, to give, copy or print: computed again from its nonce on every
    visit (each display logged), always the same until someone replaces it on purpose."""
    recipient = get_recipient_for(request, pk)
    person = recipient.plan.person
    if not recipient.is_active:
        messages.error(request, _("Ce partage est retiré : son lien n'ouvre plus rien."))
        return redirect("prevention:plan", pk=person.pk)
    token = recipient.link_token()
    context = {"person": person, "recipient": recipient, "unprintable": token is None}
    if token is not None:
        url = request.build_absolute_uri(reverse("prevention:shared", args=[token]))
        context.update(url=url, qr=qr_svg(url, _("Code QR du lien vers le plan")))
    log_access(request, Action.VIEW, recipient)
    return render(request, "prevention/recipient_link.html", context)


@roles_required(PLAN_WRITERS)
@never_cache
@require_http_methods(["GET", "POST"])
def recipient_withdraw(request, pk):
    """The person withdraws this sharing. GET says what follows and asks to confirm; POST
    withdraws, at once: the recipient's link opens nothing from then on."""
    recipient = get_recipient_for(request, pk)
    person = recipient.plan.person
    if not recipient.is_active:
        messages.info(request, _("Ce partage est déjà retiré."))
        return redirect("prevention:plan", pk=person.pk)
    if request.method == "POST":
        with transaction.atomic():
            recipient.withdraw(Recipient.ConsentMeans.ORAL, request.user)
            log_access(request, Action.UPDATE, recipient)
        messages.success(request, _("Le partage est retiré : son lien ne fonctionne plus."))
        return redirect("prevention:plan", pk=person.pk)
    log_access(request, Action.VIEW, recipient)
    return render(
        request,
        "prevention/recipient_withdraw.html",
        {"person": person, "recipient": recipient},
    )


@roles_required(PLAN_WRITERS)
@never_cache
@require_http_methods(["GET", "POST"])
def recipient_new_link(request, pk):
    """Replace a recipient's link (lost, seen by someone else). GET says what follows and asks
    to confirm; POST replaces it: the old link stops working at once and says it was
    replaced, the new one is shown (and can be shown again)."""
    recipient = get_recipient_for(request, pk)
    person = recipient.plan.person
    if not recipient.is_active:
        messages.error(request, _("Ce partage est retiré : ajoutez un nouveau destinataire."))
        return redirect("prevention:plan", pk=person.pk)
    if request.method == "POST":
        with transaction.atomic():
            recipient.issue_link()
            log_access(request, Action.UPDATE, recipient)
        messages.success(
            request, _("Nouveau lien fait : l'ancien ne fonctionne plus. Donnez celui-ci.")
        )
        return redirect("prevention:recipient_link", pk=recipient.pk)
    log_access(request, Action.VIEW, recipient)
    return render(
        request,
        "prevention/recipient_new_link.html",
        {"person": person, "recipient": recipient},
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@roles_required(PLAN_WRITERS)
@never_cache
def recipient_copy(request, pk):
    """A printed copy of the plan in force for this recipient: logged as their read."""
    recipient = get_recipient_for(request, pk)
    plan = recipient.plan
    version = plan.in_force
    if not recipient.is_active or version is None:
        messages.error(request, _("Pas de plan en vigueur à imprimer pour ce destinataire."))
        return redirect("prevention:plan", pk=plan.person_id)
    reading = reading_of(version)
    with transaction.atomic():
        record_read(plan, version, ReadRecord.Channel.PRINTED, recipient)
        log_access(request, Action.EXPORT, plan)
    content = plan_pdf(version, reading["trusted"], reading["comments"], recipient.label())
    return _pdf_response(content, f"plan-prevention-{timezone.localdate():%Y%m%d}.pdf")


@roles_required(PLAN_WRITERS)
@never_cache
def plan_print(request, pk):
    """The plan in force (or the draft) printed for the person themself."""
    plan = get_plan_for(request, pk)
    version = plan.in_force or plan.draft
    if version is None:
        messages.error(request, _("Rien à imprimer pour l'instant."))
        return redirect("prevention:plan", pk=plan.person_id)
    reading = reading_of(version)
    log_access(request, Action.EXPORT, plan)
    content = plan_pdf(version, reading["trusted"], reading["comments"])
    return _pdf_response(content, f"plan-prevention-{timezone.localdate():%Y%m%d}.pdf")


@roles_required(PLAN_WRITERS)
@never_cache
def card_print(request, pk):
    plan = get_plan_for(request, pk)
    version = plan.in_force
    if version is None:
        messages.error(request, _("La carte se fait à partir d'un plan signé."))
        return redirect("prevention:plan", pk=plan.person_id)
    reading = reading_of(version)
    log_access(request, Action.EXPORT, plan)
    return _pdf_response(
        card_pdf(version, reading["card"], reading["trusted"]), "carte-plan-prevention.pdf"
    )
