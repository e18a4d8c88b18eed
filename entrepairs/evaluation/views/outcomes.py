"""Outcomes per organisation, facility and period; import of the DIM's stays file."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.roles import OBSERVER_ROLES, Role
from entrepairs.territory.models import Organisation

from ..access import COORDINATORS, OUTCOME_READERS
from ..charts import paired_chart
from ..forms import OutcomesFilterForm, StaysImportForm
from ..outcomes import hospital_days, instrument_results, paired_results, team_climate
from ..stats import is_small
from ..stays import parse_stays, replace_stays

ESTABLISHMENT_KINDS = (Organisation.Kind.HEALTH_ESTABLISHMENT, Organisation.Kind.ASSOCIATION)


def observed_organisations(membership):
    organisations = Organisation.objects.filter(kind__in=ESTABLISHMENT_KINDS)
    if membership.role == Role.REGIONAL_OBSERVER:
        organisations = organisations.filter(region_id=membership.organisation.region_id)
    return list(organisations.values_list("pk", flat=True))


def _suppress_for_outside(results, hospital):
    """Outside the organisation, drop every result below the threshold, and proportions
    whose count of 'yes' or of other answers would reveal a small group."""
    for result in results:
        result["scales"] = [s for s in result["scales"] if not s["small"] and s["n"]]
        result["proportions"] = [
            p
            for p in result["proportions"]
            if p["n"] and not p["small"] and not is_small(p["k"]) and not is_small(p["n"] - p["k"])
        ]
    return results


@roles_required(OUTCOME_READERS)
def outcomes(request):
    membership = request.membership
    outside = membership.role in OBSERVER_ROLES
    today = timezone.localdate()
    organisation = None if outside else membership.organisation
    data = request.GET.copy()
    data.setdefault("start", (today - timedelta(days=365)).isoformat())
    data.setdefault("end", today.isoformat())
    form = OutcomesFilterForm(data, organisation=organisation)
    context = {"form": form, "outside": outside, "threshold": 11}
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        facility = form.cleaned_data.get("facility")
        ids = observed_organisations(membership) if outside else [organisation.pk]
        results = instrument_results(ids, facility, start, end)
        paired = paired_results(ids, facility, start, end)
        climate = team_climate(ids, facility, end)
        hospital = hospital_days(ids, facility, start, end, today)
        if outside:
            results = [r for r in _suppress_for_outside(results, hospital) if not r["small"]]
            paired = [p for p in paired if not p["small"]]
            for series in climate:
                series["years"] = [y for y in series["years"] if not y["small"]]
            climate = [s for s in climate if s["years"]]
        context.update(
            start=start,
            end=end,
            facility=facility,
            results=results,
            paired=paired,
            paired_chart=paired_chart(paired),
            climate=climate,
            hospital=hospital,
        )
    return render(request, "evaluation/outcomes.html", context)


@roles_required(COORDINATORS)
def stays_import(request):
    form = StaysImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        organisation = request.membership.organisation
        rows, errors = parse_stays(form.cleaned_data["file"].read(), organisation)
        if not errors:
            count = replace_stays(organisation, rows)
            messages.success(
                request,
                _("%(n)s séjours importés (ils remplacent l'import précédent).") % {"n": count},
            )
            return redirect("evaluation:outcomes")
    return render(request, "evaluation/stays_import.html", {"form": form, "errors": errors})
