"""Code of conduct: the current version, acknowledgements, new versions."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entrepairs.accounts.models import Membership
from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing
from entrepairs.core.models import Action
from entrepairs.core.roles import Role
from entrepairs.workforce.forms import CodeOfConductForm
from entrepairs.workforce.models import CodeOfConduct, ConductAcknowledgement
from entrepairs.workforce.models.conduct import ACKNOWLEDGING_ROLES

from ..access import COORDINATORS, MANAGERS, ORGANISATION_READERS
from ..lists import AcknowledgementFilter


@roles_required(ORGANISATION_READERS)
def conduct_current(request):
    membership = request.membership
    code = CodeOfConduct.current_for(membership.organisation_id)
    acknowledgement = (
        ConductAcknowledgement.objects.visible_to(membership)
        .filter(code=code, membership=membership)
        .first()
        if code
        else None
    )
    return render(
        request,
        "workforce/conduct_current.html",
        {
            "code": code,
            "acknowledgement": acknowledgement,
            "must_acknowledge": membership.role in ACKNOWLEDGING_ROLES,
            "is_coordinator": membership.role == Role.COORDINATOR,
        },
    )


@require_POST
@roles_required(ACKNOWLEDGING_ROLES)
def conduct_acknowledge(request):
    membership = request.membership
    code = CodeOfConduct.current_for(membership.organisation_id)
    if code is None or str(code.pk) != request.POST.get("code", ""):
        messages.error(
            request, _("Le code de déontologie a changé entre-temps : relisez la nouvelle version.")
        )
        return redirect("workforce:conduct_current")
    try:
        with transaction.atomic():
            ack = ConductAcknowledgement.objects.create(code=code, membership=membership)
            log_access(request, Action.CREATE, ack)
    except IntegrityError:
        messages.info(request, _("Vous aviez déjà pris connaissance de cette version."))
    else:
        messages.success(request, _("Merci : votre prise de connaissance est enregistrée."))
    return redirect("workforce:conduct_current")


@roles_required(COORDINATORS)
def conduct_new_version(request):
    membership = request.membership
    current = CodeOfConduct.current_for(membership.organisation_id)
    initial = {"title": current.title, "text": current.text} if current else {}
    form = CodeOfConductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            last = (
                CodeOfConduct.objects.select_for_update()
                .filter(organisation_id=membership.organisation_id)
                .order_by("-version")
                .first()
            )
            code = form.save(commit=False)
            code.organisation_id = membership.organisation_id
            code.version = (last.version if last else 0) + 1
            code.published_by = request.user
            code.save()
        messages.success(
            request,
            _(
                "Version %(v)s publiée : chaque pair et membre d'équipe devra en prendre connaissance."
            )
            % {"v": code.version},
        )
        return redirect("workforce:conduct_current")
    return render(request, "workforce/conduct_form.html", {"form": form, "current": current})


@roles_required(MANAGERS)
def conduct_acknowledgements(request):
    """Who acknowledged the current version, who has not yet."""
    membership = request.membership
    code = CodeOfConduct.current_for(membership.organisation_id)
    members = (
        Membership.objects.active()
        .filter(organisation_id=membership.organisation_id, role__in=ACKNOWLEDGING_ROLES)
        .select_related("user")
        .annotate(
            acknowledged=Exists(
                ConductAcknowledgement.objects.filter(code=code, membership=OuterRef("pk"))
            )
        )
    )
    listing = Listing(request, AcknowledgementFilter, members)
    page = listing.page
    log_access(
        request,
        Action.LIST,
        model=ConductAcknowledgement,
        ids=ConductAcknowledgement.objects.filter(
            code=code, membership__in=[m.pk for m in page.object_list]
        ).values_list("pk", flat=True),
    )
    return render(
        request,
        "workforce/conduct_acknowledgements.html",
        {"code": code, "page": page, "listing": listing},
    )
