"""Competency frameworks, assessments and the portfolio (radar chart + data tables)."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from entrepairs.accounts.roles import Role
from entrepairs.core.audit import log_access
from entrepairs.core.permissions import role_required
from entrepairs.workforce.charts import radar_svg
from entrepairs.workforce.forms import AssessmentForm
from entrepairs.workforce.models import (
    Assessment,
    Competency,
    CompetencyDomain,
    CompetencyFramework,
    PeerWorker,
)
from entrepairs.workforce.models.competencies import mentee_user_ids, portfolio_q

ORG_ROLES = (Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR, Role.DIRECTOR)


def _frameworks(membership):
    return CompetencyFramework.objects.usable_by(membership.organisation_id)


def _framework_for(request):
    """The framework asked for (?referentiel=), else the organisation's latest, else the platform's."""
    frameworks = _frameworks(request.membership)
    wanted = request.GET.get("referentiel", "")
    if wanted.isdigit():
        return get_object_or_404(frameworks, pk=wanted)
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


def _portfolio_peer(request, pk):
    q = portfolio_q(request.membership, prefix="")
    peers = PeerWorker.objects.none() if q is None else PeerWorker.objects.filter(q)
    return get_object_or_404(peers, pk=pk)


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


@role_required(*ORG_ROLES)
def framework_list(request):
    frameworks = _frameworks(request.membership).select_related("organisation")
    return render(request, "workforce/framework_list.html", {"frameworks": frameworks})


@role_required(*ORG_ROLES)
def framework_detail(request, pk):
    framework = get_object_or_404(_with_tree(_frameworks(request.membership)), pk=pk)
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


@role_required(*ORG_ROLES)
def portfolio(request, peer_pk):
    peer = _portfolio_peer(request, peer_pk)
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
    log_access(request, "view", peer)
    return render(
        request,
        "workforce/portfolio.html",
        {
            "peer": peer,
            "framework": framework,
            "frameworks": _frameworks(request.membership),
            "data": data,
            "chart": chart,
            "assessor": assessor_kind(request.membership, peer),
        },
    )


@role_required(Role.PEER, Role.PROFESSIONAL, Role.COORDINATOR)
def assessment_create(request, peer_pk):
    peer = _portfolio_peer(request, peer_pk)
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
        log_access(request, "create", model=Assessment, ids=[a.pk for a in created if a.pk])
        messages.success(request, _("Évaluation enregistrée."))
        url = reverse("workforce:portfolio", kwargs={"peer_pk": peer.pk})
        return redirect(f"{url}?referentiel={framework.pk}")
    return render(
        request,
        "workforce/assessment_form.html",
        {"form": form, "peer": peer, "framework": framework, "kind": kind},
    )
