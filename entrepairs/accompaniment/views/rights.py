"""Rights of the person: export (JSON, printable HTML, PDF) and closure + anonymisation."""

import json
from pathlib import Path

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepairs.core.access import public, roles_required
from entrepairs.core.audit import log_access
from entrepairs.core.models import Action

from ..access import (
    RECORD_WRITERS,
    get_person_for,
)
from ..forms import AnonymiseForm
from ..models import Accompaniment, ConsentPurpose, Person
from ..rights import (
    EXPORT_PARTS,
    anonymise_person,
    export_data,
    export_schema,
    labelled_line,
    labelled_pairs,
    labelled_rows,
    shown_value,
)

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _export(request, pk):
    person = get_person_for(request, pk, Person.objects.select_related("organisation", "commune"))
    team_sharing = person.has_consent(ConsentPurpose.TEAM_SHARING)
    data = export_data(
        person, request.membership, lambda e: e.note_visible_to(request.membership, team_sharing)
    )
    log_access(request, Action.EXPORT, person)
    return person, data


def _filename(person, ext):
    return f"entrepairs-personne-{person.pk}-{timezone.localdate():%Y%m%d}.{ext}"


@roles_required(RECORD_WRITERS)
def person_export_json(request, pk):
    person, data = _export(request, pk)
    data["$schema"] = request.build_absolute_uri(data["$schema"])
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(person, "json")}"'
    return response


@roles_required(RECORD_WRITERS)
def person_export_html(request, pk):
    """The printable export: every label in plain French (from the export's schema), dates
    in French, times at Paris time, roles in words."""
    person, data = _export(request, pk)
    parts = [(part.title, part.lines(data[part.key])) for part in EXPORT_PARTS]
    plan = data["plan_de_retablissement"]
    reviews = []
    for review in (plan or {}).get("points", []):
        notes = [
            f"{n['domaine']} : {_score(n['personne'])} / {_score(n['pair'])}"
            for n in review["notes"]
        ]
        reviews.append(
            {
                "date": shown_value(review["date"], {"format": "date"}),
                "notes": notes,
                "comment": review["commentaire"],
            }
        )
    return render(
        request,
        "accompaniment/person_export.html",
        {
            "person": person,
            "data": data,
            "exported_at": shown_value(data["exporte_le"], {"format": "date-time"}),
            "person_fields": labelled_pairs(data["personne"], "personne"),
            "tables": {
                key: labelled_rows(data, key)
                for key in ("consentements", "accompagnements", "rencontres", "orientations")
                + ("acces_au_dossier",)
            },
            "reviews": reviews,
            "parts": parts,
            "schema_url": reverse("accompaniment:person_export_schema"),
        },
    )


def _score(value) -> str:
    return "–" if value is None else str(value)


@public
def person_export_schema(request):
    """The JSON Schema of the export (keys, French titles, meaning): no personal data, so
    anyone holding an export can read what it means."""
    return JsonResponse(export_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2})


@roles_required(RECORD_WRITERS)
def person_export_pdf(request, pk):
    person, data = _export(request, pk)
    response = HttpResponse(_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(person, "pdf")}"'
    return response


def _pdf(data: dict) -> bytes:
    """A plain PDF of the export: one section per part, one line per item."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    if DEJAVU.exists():
        pdf.add_font("DejaVu", "", str(DEJAVU))
        font = "DejaVu"

        def clean(text):
            return text
    else:  # core fonts are Latin-1 only
        font = "helvetica"

        def clean(text):
            return text.encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()

    def line(height, text):
        pdf.multi_cell(0, height, clean(text), new_x="LMARGIN", new_y="NEXT")

    pdf.set_font(font, size=16)
    line(9, _("Dossier de %(alias)s") % {"alias": data["personne"]["pseudonyme"]})
    pdf.set_font(font, size=9)
    exported = shown_value(data["exporte_le"], {"format": "date-time"})
    line(5, f"{data['organisation']} – {_('document établi le')} {exported}")

    def section(title, lines):
        pdf.ln(3)
        pdf.set_font(font, size=13)
        line(7, title)
        pdf.set_font(font, size=9)
        for text in lines or [_("(rien)")]:
            line(5, text)

    section(_("La personne"), [labelled_line(data["personne"], "personne")])
    section(_("Accords"), [labelled_line(c, "consentements") for c in data["consentements"]])
    section(
        _("Accompagnements"), [labelled_line(a, "accompagnements") for a in data["accompagnements"]]
    )
    section(_("Rencontres"), [labelled_line(e, "rencontres") for e in data["rencontres"]])
    plan = data["plan_de_retablissement"]
    if plan:
        lines = []
        for domain in plan["domaines"]:
            for goal in domain["objectifs"]:
                steps = ", ".join(f"{s['etape']} ({s['statut']})" for s in goal["etapes"])
                lines.append(
                    f"{domain['nom']} : {goal['objectif']}" + (f" – {steps}" if steps else "")
                )
        for review in plan["points"]:
            notes = ", ".join(
                f"{n['domaine']} {n['personne'] if n['personne'] is not None else '–'}/"
                f"{n['pair'] if n['pair'] is not None else '–'}"
                for n in review["notes"]
            )
            day = shown_value(review["date"], {"format": "date"})
            lines.append(f"{_('Point du')} {day} : {notes}")
        section(_("Plan de rétablissement"), lines)
    section(_("Orientations"), [labelled_line(r, "orientations") for r in data["orientations"]])
    for part in EXPORT_PARTS:
        section(str(part.title), part.lines(data[part.key]))
    section(
        _("Qui a consulté le dossier"),
        [labelled_line(e, "acces_au_dossier") for e in data["acces_au_dossier"]],
    )
    return bytes(pdf.output())


@roles_required(RECORD_WRITERS)
def person_anonymise(request, pk):
    """Close the record and anonymise it, after an explicit confirmation."""
    person = get_person_for(request, pk)
    form = AnonymiseForm(request.POST if request.method == "POST" else None)
    reasons = Accompaniment.EndReason
    reason = request.POST.get("end_reason", reasons.PERSON_CHOICE)
    if request.method == "POST" and form.is_valid():
        if reason not in reasons.values:
            reason = reasons.OTHER
        with transaction.atomic():
            log_access(request, Action.DELETE, person)
            anonymise_person(person, end_reason=reason)
        messages.success(request, _("Le dossier est clos et anonymisé."))
        return redirect("accompaniment:person_list")
    log_access(request, Action.VIEW, person)
    return render(
        request,
        "accompaniment/person_anonymise.html",
        {"form": form, "person": person, "reasons": reasons.choices, "reason": reason},
    )
