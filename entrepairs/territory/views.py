import re

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import render
from django.utils.translation import gettext as _

from entrepairs.core.access import public

from .models import Commune, Facility, Sector, normalize_for_search

MAX_RESULTS = 20
MIN_LENGTH = 2
CODE_QUERY = re.compile(r"(?:[0-9]{2}|2[AB])[0-9]{0,3}")
# What people type for "Saint" / "Sainte" in a commune name.
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def normalize_query(query: str) -> str:
    words = normalize_for_search(query).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def search_communes(query: str):
    """Communes (and Paris/Lyon/Marseille arrondissements) by INSEE code or by name.

    A code (or its beginning) matches codes; otherwise the name matches without regard to
    case, accents or hyphens, exact names first, then names that start with the query.
    """
    communes = Commune.objects.filter(kind__in=[Commune.Kind.COMMUNE, Commune.Kind.ARRONDISSEMENT])
    code = query.upper()
    if CODE_QUERY.fullmatch(code):
        communes = communes.filter(code__startswith=code).order_by("code")
    else:
        name = normalize_query(query)
        communes = (
            communes.filter(search_name__contains=name)
            .annotate(
                rank=Case(
                    When(search_name=name, then=Value(0)),
                    When(search_name__startswith=name, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "name", "code")
        )
    return communes.select_related("department").prefetch_related(
        Prefetch(
            "sectors",
            queryset=Sector.objects.select_related("organisation").prefetch_related(
                Prefetch(
                    "facilities",
                    queryset=Facility.objects.select_related("commune").order_by("kind", "name"),
                )
            ),
        )
    )


@public
def commune_sector(request):
    """Public page: search a commune by name or INSEE code, show its sectors and facilities."""
    query = request.GET.get("q", "").strip()[:100]
    communes = []
    error = None
    truncated = False
    if "q" in request.GET:
        if len(query) < MIN_LENGTH:
            error = _("Saisissez au moins 2 caractères (nom ou code INSEE de la commune).")
        else:
            communes = list(search_communes(query)[: MAX_RESULTS + 1])
            truncated = len(communes) > MAX_RESULTS
            communes = communes[:MAX_RESULTS]
            if not communes:
                error = _("Aucune commune ne correspond à « %(q)s ».") % {"q": query}
                if query.isdigit() and len(query) == 5:
                    error += " " + _(
                        "Le code INSEE d'une commune diffère souvent de son code postal."
                    )
    return render(
        request,
        "territory/commune_sector.html",
        {
            "query": query,
            "communes": communes,
            "error": error,
            "truncated": truncated,
            "max_results": MAX_RESULTS,
        },
    )
