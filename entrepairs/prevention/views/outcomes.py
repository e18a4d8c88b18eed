"""Outcomes of the prevention plans, for a fixed calendar period (quarter or year), never
free dates: two overlapping windows would give one person's figure by difference
(12·m₁₂ − 11·m₁₁).

- The people who hold the records (a coordinator of the organisation) see their own figures
  computed from the records, for any quarter or year, the one under way included: marked as
  not protected, they never leave the organisation. They also see the stays by legal mode and
  the detail of the year before and after the first plan.
- Everyone else (a director, the ARS, the national observatory) reads only the published
  figures of their level (``observatory.published``), protected with the whole publication of
  the period (``observatory.publishing``): nothing is computed for them.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from entrepairs.core.access import roles_required
from entrepairs.core.roles import OBSERVER_ROLES, Role
from entrepairs.evaluation.forms import OutcomesPeriodForm
from entrepairs.observatory import published
from entrepairs.observatory.periods import Period, ended_periods

from ..access import OUTCOME_READERS
from ..outcomes import around_first_plan, stays_by_mode

# The catalogue's indicators of the prevention plans (theme « prevention »).
INDICATORS = (
    "plans_prevention_en_vigueur",
    "plans_prevention_consultes",
    "plans_prevention_souhaits",
    "plans_prevention_contrainte",
)


def holder_periods(today) -> list[Period]:
    """Every ended quarter and year, and the quarter and year under way (the holders' own
    figures, never published), newest first."""
    current = [
        Period.year(today.year),
        Period.quarter(today.year, (today.month - 1) // 3 + 1),
    ]
    ended = ended_periods(settings.OBSERVATORY_FIRST_YEAR, today)
    return current + sorted(ended, key=lambda p: (p.start, p.kind == "quarter"), reverse=True)


def _level_and_area(membership):
    """The published level a reader sees: the nation, their region, their establishment."""
    if membership.role == Role.NATIONAL_OBSERVER:
        return "nation", "FR"
    if membership.role == Role.REGIONAL_OBSERVER:
        region = membership.organisation.region
        return "region", region.code if region else None
    return "organisation", str(membership.organisation_id)


def _rows(figures_of) -> list[dict]:
    """One row per indicator: the indicator and its figures by breakdown (total: ``""``)."""
    threshold = settings.SMALL_CELL_THRESHOLD
    rows = []
    for code in INDICATORS:
        indicator = published.indicator(code)
        figures = figures_of(code)
        total = figures.get("")
        if total is None:
            size = 0
        elif indicator.is_ratio:
            size = total.denominator or 0
        else:
            size = total.value or 0
        rows.append(
            {
                "indicator": indicator,
                "figures": figures,
                "total": total,
                "details": [
                    (label, figures.get(b)) for b, label in indicator.breakdowns if figures.get(b)
                ],
                "small": total is not None and 0 < size < threshold,
            }
        )
    return rows


@roles_required(OUTCOME_READERS)
def outcomes(request):
    membership = request.membership
    holder = published.holds_records(membership, membership.organisation_id)
    today = timezone.localdate()
    periods = holder_periods(today) if holder else published.periods()
    # Only ``period`` is read: any other parameter (``start``, ``end``…) is ignored.
    data = {"period": request.GET.get("period") or (periods[0].code if periods else "")}
    form = OutcomesPeriodForm(data, organisation=None, periods=periods)
    context = {
        "form": form,
        "outside": membership.role in OBSERVER_ROLES,
        "holder": holder,
        "threshold": settings.SMALL_CELL_THRESHOLD,
        "no_period": not periods,
    }
    if not form.is_valid():
        return render(request, "prevention/outcomes.html", context)
    period = form.cleaned_data["period"]
    context["period"] = period
    if holder:
        ids = [membership.organisation_id]
        end = min(period.end, today)
        context.update(
            rows=_rows(lambda code: published.for_organisation(membership, code, period)),
            modes=stays_by_mode(ids, period.start, end),
            around=around_first_plan(ids, period.start, end, today),
            end=end,
        )
    else:
        level, area = _level_and_area(membership)
        context["rows"] = _rows(
            lambda code: published.cross(code, level, period).get(area, {}) if area else {}
        )
    return render(request, "prevention/outcomes.html", context)
