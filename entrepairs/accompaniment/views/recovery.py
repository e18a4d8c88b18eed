"""The recovery plan: read it, co-write it, and add dated reviews with self-ratings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.core.roles import Role

from ..access import (
    PEERS,
    PERSON_READERS,
    can_write_record,
    ensure_open_record,
    get_open_record_for,
    get_person_for,
    lock_open_record,
    refuses_frozen_record,
)
from ..charts import plan_series, ratings_chart
from ..forms import RecoveryPlanForm, ReviewForm
from ..models import (
    Goal,
    LifeDomain,
    Person,
    Rating,
    RecoveryPlan,
    Review,
    StalePlanError,
    Step,
)

STALE_MESSAGE = gettext_lazy(
    "Le plan a été modifié par quelqu'un d'autre pendant que vous écriviez : vos changements "
    "n'ont pas été enregistrés. Rechargez la page pour voir la dernière version, puis "
    "recommencez."
)


def _load_plan(person):
    return (
        RecoveryPlan.objects.filter(person=person)
        .prefetch_related(
            "domains",
            Prefetch("goals", queryset=Goal.objects.prefetch_related("steps")),
            Prefetch("reviews", queryset=Review.objects.prefetch_related("ratings")),
        )
        .first()
    )


@roles_required(PERSON_READERS)
@refuses_frozen_record
def recovery_plan(request, pk):
    """The plan page; writers (peer, coordinator) save the co-writing form here. A frozen
    record shows its plan read-only and refuses every POST."""
    person = get_person_for(request, pk, Person.objects.prefetch_related("consents"))
    plan = _load_plan(person)
    writable = can_write_record(request.membership) and person.record_is_open
    if request.method == "POST":
        if not can_write_record(request.membership):
            raise PermissionDenied
        ensure_open_record(person)
        if plan is None:
            with transaction.atomic():
                lock_open_record(person)
                RecoveryPlan.start_for(person, request.user)
                log_access(request, Action.CREATE, person)
            messages.success(request, _("Le plan de rétablissement est commencé."))
            return redirect("accompaniment:recovery_plan", pk=person.pk)
    form = None
    if plan is not None and writable:
        domains = plan.domains_list()
        goals = list(plan.goals.all())
        form = RecoveryPlanForm(request.POST or None, plan=plan, domains=domains, goals=goals)
        if request.method == "POST" and form.is_valid():
            try:
                changed = _save_plan(request, form, plan, person)
            except StalePlanError:
                form.add_error(None, STALE_MESSAGE)
            else:
                if changed:
                    messages.success(request, _("Le plan est enregistré."))
                else:
                    messages.info(
                        request, _("Rien n'a été changé ni ajouté : le plan reste tel quel.")
                    )
                return redirect("accompaniment:recovery_plan", pk=person.pk)
    dates, series = plan_series(plan) if plan else ([], [])
    log_access(request, Action.VIEW, person)
    return render(
        request,
        "accompaniment/recovery_plan.html",
        {
            "person": person,
            "plan": plan,
            "form": form,
            "summary": plan.summary() if plan else [],
            "dates": dates,
            "chart": ratings_chart(series, dates) if dates and series else "",
            "table": [
                (row["domain"], list(zip(row["person"], row["peer"], strict=True)))
                for row in series
            ],
            "reviews": list(reversed(plan.reviews_list())) if plan else [],
            "can_write": writable,
            "can_review": request.membership.role == Role.PEER and person.record_is_open,
            "record_withdrawal": None if person.record_is_open else person.record_withdrawal(),
        },
    )


def _save_plan(request, form, plan, person):
    """Apply the co-writing form and its audit in one transaction, after claiming the next
    plan version."""
    data = form.cleaned_data
    if not _plan_changes(form, data):
        return False
    with transaction.atomic():
        lock_open_record(person)
        plan.bump_version(data["version"], request.user)
        for goal in form.goals:
            text = data[f"goal_{goal.pk}"].strip()
            if text and text != goal.text:
                Goal.objects.filter(pk=goal.pk).update(text=text)
            for step in goal.steps.all():
                status = data[f"step_{step.pk}"]
                if status != step.status:
                    Step.objects.filter(pk=step.pk).update(status=status)
        if data["new_domain"]:
            position = (plan.domains.aggregate(m=Max("position"))["m"] or 0) + 1
            LifeDomain.objects.create(plan=plan, name=data["new_domain"], position=position)
        if data["new_goal_text"]:
            domain = next(d for d in form.domains if str(d.pk) == data["new_goal_domain"])
            Goal.objects.create(plan=plan, domain=domain, text=data["new_goal_text"].strip())
        if data["new_step_text"]:
            goal = next(g for g in form.goals if str(g.pk) == data["new_step_goal"])
            Step.objects.create(goal=goal, text=data["new_step_text"].strip())
        log_access(request, Action.UPDATE, person)
    return True


def _plan_changes(form, data) -> bool:
    """Whether the form changes anything: an unchanged plan is not "saved" again."""
    if data["new_domain"] or data["new_goal_text"] or data["new_step_text"]:
        return True
    for goal in form.goals:
        text = data[f"goal_{goal.pk}"].strip()
        if text and text != goal.text:
            return True
        if any(data[f"step_{step.pk}"] != step.status for step in goal.steps.all()):
            return True
    return False


@roles_required(PEERS)
@refuses_frozen_record
def recovery_review_create(request, pk):
    """A dated review: the person's and the peer's ratings for each life domain."""
    person = get_open_record_for(request, pk)
    plan = _load_plan(person)
    if plan is None:
        messages.error(request, _("Commencez d'abord le plan de rétablissement."))
        return redirect("accompaniment:recovery_plan", pk=person.pk)
    form = ReviewForm(
        request.POST or None, domains=plan.domains_list(), initial={"version": plan.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                lock_open_record(person)
                plan.bump_version(data["version"], request.user)
                review = Review.objects.create(
                    plan=plan, date=data["date"], comment=data["comment"], created_by=request.user
                )
                Rating.objects.bulk_create(
                    Rating(review=review, domain=domain, person_score=mine, peer_score=theirs)
                    for domain, mine, theirs in form.ratings()
                )
                person.touch(review.date)
                log_access(request, Action.CREATE, review)
        except StalePlanError:
            form.add_error(None, STALE_MESSAGE)
        else:
            messages.success(request, _("Le point est enregistré."))
            return redirect("accompaniment:recovery_plan", pk=person.pk)
    log_access(request, Action.VIEW, person)
    return render(
        request,
        "accompaniment/review_form.html",
        {"form": form, "person": person, "plan": plan},
    )
