"""Outcomes of the prevention plans: stays by legal mode, before / after the first signed
plan, share of persons with a plan, use in crises, wishes respected."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from entrepairs.core.access import roles_required
from entrepairs.core.roles import OBSERVER_ROLES
from entrepairs.evaluation.forms import OutcomesFilterForm

from ..access import OUTCOME_READERS
from ..outcomes import (
    around_first_plan,
    crisis_use,
    observed_organisations,
    publishable_outside,
    share_with_plan,
    stays_by_mode,
    suppress_modes_outside,
    wishes_respected,
)


@roles_required(OUTCOME_READERS)
def outcomes(request):
    membership = request.membership
    outside = membership.role in OBSERVER_ROLES
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("start", (today - timedelta(days=365)).isoformat())
    data.setdefault("end", today.isoformat())
    form = OutcomesFilterForm(data, organisation=None)
    context = {"form": form, "outside": outside, "threshold": 11}
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        ids = observed_organisations(membership) if outside else [membership.organisation_id]
        modes = stays_by_mode(ids, start, end)
        around = around_first_plan(ids, start, end, today)
        shares = {
            "with_plan": share_with_plan(ids, start, end),
            "crisis_use": crisis_use(ids, start, end),
            "wishes": wishes_respected(ids, start, end),
        }
        if outside:
            modes = suppress_modes_outside(modes)
            if around["small"]:
                around = {"n": 0, "small": False}
            shares = {k: v for k, v in shares.items() if publishable_outside(v)}
        else:
            modes = [dict(r, hidden=False) for r in modes]
        context.update(start=start, end=end, modes=modes, around=around, shares=shares)
    return render(request, "prevention/outcomes.html", context)
