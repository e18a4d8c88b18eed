"""Competency frameworks, assessments and the portfolio (radar chart + data tables)."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from entrepairs.core.access import roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action
from entrepairs.core.roles import Role
from entrepairs.core.validators import whole_number
from entrepairs.workforce.charts import radar_svg
from entrepairs.workforce.forms import AssessmentForm
from entrepairs.workforce.models import (
    Assessment,
    Competency,
    CompetencyDomain,
    CompetencyFramework,
)
from entrepairs.workforce.models.competencies import mentee_user_ids

from ..access import (
    MENTORING_PARTIES,
    ORGANISATION_READERS,
    frameworks_for,
    get_framework_for,
    get_portfolio_peer_for,
)


def _framework_for(request):
    """The framework asked for (?referentiel=), else the organisation's latest, else the platform's."""
    frameworks = frameworks_for(request.membership)
    wanted = whole_number(request.GET.get("referentiel", ""), low=1)  # not "²".isdigit()
    if wanted is not None:
        return get_framework_for(request, wanted, frameworks)
    own = frameworks.filter(organisation_id=request.membership.organisation_id)
    return own.order_by("-version").first() or frameworks.order_by("-version").first()


def _with_tree(frameworks):
    return frameworks.prefetch_related(
        Prefetch(
            "domains",
            queryset=CompetencyDomain.objects.order_by("order").prefetch_related(
                Prefetch("competencies", queryset=Competency.objects.order_by("order"))
            ),
        )
    )


def assessor_kind(membership, peer):
    """How ``membership`` may assess ``peer`` (None: may not)."""
    if membership.role == Role.PEER and membership.user_id == peer.user_id:
        return Assessment.Assessor.SELF
    if membership.role == Role.COORDINATOR:
        return Assessment.Assessor.COORDINATOR
    if membership.role in (Role.PEER, Role.PROFESSIONAL) and peer.user_id in set(
        mentee_user_ids(membership).values_list("mentee__user_id", flat=True)
    ):
        return Assessment.Assessor.MENTOR
    return None


@roles_required(ORGANISATION_READERS)
def framework_list(request):
    frameworks = frameworks_for(request.membership).select_related("organisation")
    return render(request, "workforce/framework_list.html", {"frameworks": frameworks})


@roles_required(ORGANISATION_READERS)
def framework_detail(request, pk):
    framework = get_framework_for(request, pk, _with_tree(frameworks_for(request.membership)))
    return render(request, "workforce/framework_detail.html", {"framework": framework})


def portfolio_data(peer, framework):
    """Latest level per competency and assessor kind, averaged per domain for the radar."""
    domains = list(
        _with_tree(CompetencyFramework.objects.filter(pk=framework.pk)).get().domains.all()
    )
    history = list(
        Assessment.objects.filter(peer=peer, competency__domain__framework=framework)
        .select_related("competency", "assessed_by")
        .order_by("-date", "-pk")
    )
    latest = {}
    for a in history:  # newest first: keep the first seen
        latest.setdefault((a.competency_id, a.assessor), a.level)
    kinds = [k for k in Assessment.Assessor if any(key[1] == k for key in latest)]
    series = []
    rows = []
    for domain in domains:
        cells = []
        for kind in kinds:
            values = [latest.get((c.pk, kind)) for c in domain.competencies.all()]
            values = [v for v in values if v is not None]
            cells.append(round(sum(values) / len(values), 1) if values else None)
        rows.append({"domain": domain, "cells": cells})
    for i, kind in enumerate(kinds):
        series.append((str(kind.label), [row["cells"][i] for row in rows]))
    competency_rows = [
        {
            "competency": c,
            "domain": domain,
            "cells": [latest.get((c.pk, kind)) for kind in kinds],
        }
        for domain in domains
        for c in domain.competencies.all()
    ]
    return {
        "domains": domains,
        "kinds": kinds,
        "series": series,
        "rows": rows,
        "competency_rows": competency_rows,
        "history": history,
    }


@roles_required(ORGANISATION_READERS)
def portfolio(request, peer_pk):
    peer = get_portfolio_peer_for(request, peer_pk)
    framework = _framework_for(request)
    data = portfolio_data(peer, framework) if framework else None
    chart = ""
    if data and data["series"]:
        chart = mark_safe(  # noqa: S308 built from escaped strings in charts.radar_svg
            radar_svg(
                [d.name for d in data["domains"]],
                data["series"],
                title=_("Niveau moyen par domaine de compétences de %(p)s") % {"p": peer},
            )
        )
    log_access(request, Action.VIEW, peer)
    return render(
        request,
        "workforce/portfolio.html",
        {
            "peer": peer,
            "framework": framework,
            "frameworks": frameworks_for(request.membership),
            "data": data,
            "chart": chart,
            "assessor": assessor_kind(request.membership, peer),
        },
    )


@roles_required(MENTORING_PARTIES)
def assessment_create(request, peer_pk):
    peer = get_portfolio_peer_for(request, peer_pk)
    kind = assessor_kind(request.membership, peer)
    if kind is None:
        messages.error(request, _("Vous ne pouvez pas évaluer les compétences de cette personne."))
        return redirect("workforce:portfolio", peer_pk=peer.pk)
    framework = _framework_for(request)
    if framework is None:
        messages.error(request, _("Aucun référentiel de compétences n'est chargé."))
        return redirect("workforce:portfolio", peer_pk=peer.pk)
    competencies = Competency.objects.filter(domain__framework=framework).order_by(
        "domain__order", "order"
    )
    form = AssessmentForm(request.POST or None, competencies=competencies)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            created = Assessment.objects.bulk_create(
                Assessment(
                    peer=peer,
                    competency=competency,
                    assessor=kind,
                    assessed_by=request.user,
                    level=level,
                    date=form.cleaned_data["date"],
                    evidence=form.cleaned_data["evidence"],
                )
                for competency, level in form.levels()
            )
            log_access(
                request, Action.CREATE, model=Assessment, ids=[a.pk for a in created if a.pk]
            )
        messages.success(request, _("Évaluation enregistrée."))
        url = reverse("workforce:portfolio", kwargs={"peer_pk": peer.pk})
        return redirect(f"{url}?referentiel={framework.pk}")
    return render(
        request,
        "workforce/assessment_form.html",
        {"form": form, "peer": peer, "framework": framework, "kind": kind},
    )
