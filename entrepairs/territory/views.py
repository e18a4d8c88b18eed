from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import Commune, Facility, Sector

MAX_RESULTS = 20


@login_not_required
def commune_sector(request):
    """Public page: search a commune by name or INSEE code, show its sectors and facilities."""
    query = request.GET.get("q", "").strip()[:100]
    communes = []
    error = None
    if query:
        if len(query) < 2:
            error = _("Saisissez au moins 2 caractères (nom ou code INSEE).")
        else:
            lookup = (
                {"code": query.upper()}
                if query[:2].isdigit() or query[:2].upper() in ("2A", "2B")
                else {"name__icontains": query}
            )
            communes = list(
                Commune.objects.filter(**lookup, kind=Commune.Kind.COMMUNE)
                .select_related("department")
                .prefetch_related(
                    Prefetch(
                        "sectors",
                        queryset=Sector.objects.select_related("organisation").prefetch_related(
                            Prefetch(
                                "facilities", queryset=Facility.objects.order_by("kind", "name")
                            )
                        ),
                    )
                )
                .order_by("name", "code")[:MAX_RESULTS]
            )
            if not communes:
                error = _("Aucune commune ne correspond à « %(q)s ».") % {"q": query}
    return render(
        request,
        "territory/commune_sector.html",
        {"query": query, "communes": communes, "error": error, "max_results": MAX_RESULTS},
    )
