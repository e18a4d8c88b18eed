"""The "Accès API" pages: coordinators and directors create and revoke their organisation's
API tokens. A token's value is shown once, on the page that follows its creation; only its
hash is kept. Creation and revocation are audited in their transaction."""

import datetime

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.listing import Listing
from entrepairs.core.models import Action

from ..access import TOKEN_MANAGERS, get_token_for
from ..forms import TokenForm
from ..lists import TokenFilter
from ..models import ApiToken, Scope

PAGE_SIZE = 50


@roles_required(TOKEN_MANAGERS)
def token_list(request):
    tokens = (
        ApiToken.objects.visible_to(request.membership)
        .select_related("created_by__user", "revoked_by__user")
        .order_by("revoked_at", "-created_at", "-pk")
    )
    listing = Listing(request, TokenFilter, tokens, page_size=PAGE_SIZE)
    page = listing.page
    context = {
        "page": page,
        "listing": listing,
        "docs_url": reverse("api:docs"),
        "now": timezone.now(),
    }
    return render(request, "api/token_list.html", context)


EXAMPLES = {Scope.ACTIVITY: "api:activity", Scope.WORKFORCE: "api:peers"}


def example_url(token) -> str:
    """An address the new token opens, for the example on its page."""
    name = next((EXAMPLES[s] for s in token.scopes if s in EXAMPLES), "api:fhir_questionnaires")
    return reverse(name)


@roles_required(TOKEN_MANAGERS)
def token_create(request):
    form = TokenForm(request.POST or None, manager=request.membership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            token, secret = ApiToken.issue(
                organisation=request.membership.organisation,
                name=data["name"],
                scopes=data["scopes"],
                expires_at=timezone.now() + datetime.timedelta(days=data["validity_days"]),
                created_by=request.membership,
            )
            log_access(request, Action.CREATE, token)
        # Rendered, not redirected: the value must never sit in a URL, a session or a log.
        context = {"token": token, "secret": secret, "example_url": example_url(token)}
        response = render(request, "api/token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "api/token_form.html", {"form": form})


@roles_required(TOKEN_MANAGERS)
@require_POST
def token_revoke(request, pk):
    token = get_token_for(request, pk)
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = request.membership
            locked.save(update_fields=["revoked_at", "revoked_by"])
            log_access(request, Action.UPDATE, locked)
            messages.success(
                request,
                _("Jeton « %(name)s » révoqué : il n'ouvre plus rien.") % {"name": locked.name},
            )
        else:
            messages.info(request, _("Ce jeton était déjà révoqué."))
    return redirect("api_tokens:token_list")
