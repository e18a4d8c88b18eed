"""Outcomes per organisation, facility and period; import of the DIM's stays file."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.roles import OBSERVER_ROLES, Role

from ..access import COORDINATORS, OUTCOME_READERS
from ..charts import paired_chart
from ..forms import OutcomesPeriodForm, StaysImportForm
from ..outcomes import hospital_days, instrument_results, paired_results, team_climate
from ..stays import parse_stays, replace_stays

OUTCOME_INDICATORS = (
    "mieux_compris",
    "who5_avant_apres",
    "journees_hospitalisation",
    "climat_equipe_confusion",
)


def _holder_periods(today):
    """Periods offered to the people who hold the records: every ended quarter and year, and
    the quarter and year under way (their own figures, never published)."""
    from entrepairs.observatory.periods import Period, ended_periods

    current = [
        Period.year(today.year),
        Period.quarter(today.year, (today.month - 1) // 3 + 1),
    ]
    ended = ended_periods(settings.OBSERVATORY_FIRST_YEAR, today)
    return current + sorted(ended, key=lambda p: (p.start, p.kind == "quarter"), reverse=True)


def _published_outcomes(membership, period):
    """The protected figures of the publication for the viewer's level (a director: their
    establishment; an ARS: its region; the observatory: France). One query per indicator."""
    from entrepairs.observatory import published

    if membership.role == Role.NATIONAL_OBSERVER:
        level, area = "nation", "FR"
    elif membership.role == Role.REGIONAL_OBSERVER:
        region = membership.organisation.region
        level, area = "region", region.code if region else None
    else:
        level, area = "organisation", str(membership.organisation_id)
    rows = []
    for code in OUTCOME_INDICATORS:
        figures = published.cross(code, level, period).get(area, {}) if area else {}
        rows.append({"indicator": published.indicator(code), "figures": figures})
    return rows


def _published_chart(published_rows) -> str:
    """The before/after chart of the published WHO-5 figures (protected by the publishing
    step): drawn only when the total and both means are published, never from raw rows."""
    for row in published_rows:
        if row["indicator"].code != "who5_avant_apres":
            continue
        figures = row["figures"]
        total, before, after = (figures.get(code) for code in ("", "avant", "apres"))
        if any(f is None or f.hidden or f.value is None for f in (total, before, after)):
            return ""
        return paired_chart(
            [
                {
                    "version": SimpleNamespace(title="WHO-5"),
                    "label": _("Score en pourcentage (0 à 100)"),
                    "n": total.denominator,
                    "mean_before": before.value,
                    "mean_after": after.value,
                    "small": False,
                    "bounds": (0, 100),
                }
            ]
        )
    return ""


@roles_required(OUTCOME_READERS)
def outcomes(request):
    from entrepairs.observatory import published

    membership = request.membership
    outside = membership.role in OBSERVER_ROLES
    holder = published.holds_records(membership, membership.organisation_id)
    today = timezone.localdate()
    organisation = None if outside or not holder else membership.organisation
    periods = _holder_periods(today) if holder else published.periods()
    data = request.GET.copy()
    if periods:
        data.setdefault("period", periods[0].code)
    form = OutcomesPeriodForm(data, organisation=organisation, periods=periods)
    context = {
        "form": form,
        "outside": outside,
        "holder": holder,
        "threshold": settings.SMALL_CELL_THRESHOLD,
        "no_period": not periods,
    }
    if form.is_valid() and not holder:
        period = form.cleaned_data["period"]
        published_rows = _published_outcomes(membership, period)
        context.update(
            period=period,
            published=published_rows,
            published_chart=_published_chart(published_rows),
        )
    elif form.is_valid():
        period = form.cleaned_data["period"]
        start, end = period.start, min(period.end, today)
        facility = form.cleaned_data.get("facility")
        ids = [organisation.pk]
        results = instrument_results(ids, facility, start, end)
        paired = paired_results(ids, facility, start, end)
        climate = team_climate(ids, facility, end)
        hospital = hospital_days(ids, facility, start, end, today)
        context.update(
            period=period,
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
