"""Rights of the person: export of what is held on them, and closure + anonymisation.

Anonymisation rules (docs/accompagnement.md):
- erased: alias (replaced), contact, commune, encounter notes and places, goals' and steps'
  free text, review comments;
- coarsened: year of birth to the first year of its 5-year band (1987 → 1985);
- kept for statistics: gender, how the person came, consent history (decisions only),
  accompaniment episodes (closed), encounters (date, duration, mode, kinds, outcome),
  ratings, referrals (resource, date, outcome);
- ``anonymised_at`` is set: the person leaves every list and page (``visible_to``);
- apps above this one erase their share in the same transaction (``person_anonymised``):
  evaluation drops pending links and drafts and the free-text answers of follow-up
  questionnaires, and keeps their scores.
"""

import datetime
import json
import re
from functools import cache
from pathlib import Path

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entrepairs.core.models import AccessEvent
from entrepairs.core.roles import Role

from .models import (
    Accompaniment,
    ConsentPurpose,
    Encounter,
    Goal,
    Person,
    RecoveryPlan,
    Referral,
    Review,
    Step,
)

ERASED = "—"
BIRTH_YEAR_BAND = 5

# Sent with ``person`` inside the anonymisation's transaction, so that what other apps hold on
# the person is erased in the same all-or-nothing step (accompaniment imports none of them).
person_anonymised = Signal()
# Parts of the record held by other apps (the prevention plan), registered in their
# AppConfig.ready(): each adds its part to the export and erases it at anonymisation.
EXPORT_PARTS = []
ANONYMISERS = []


def register_part(part) -> None:
    """``part`` has ``key``, ``title``, ``data(person, membership)`` (JSON-ready) and
    ``lines(data)`` (one text per line, for the printable export and the PDF)."""
    if all(p.key != part.key for p in EXPORT_PARTS):
        EXPORT_PARTS.append(part)


def register_anonymiser(erase) -> None:
    """``erase(person)`` runs inside the anonymisation transaction."""
    if erase not in ANONYMISERS:
        ANONYMISERS.append(erase)


def coarse_birth_year(year: int) -> int:
    return year - year % BIRTH_YEAR_BAND


def anonymise_person(person: Person, end_reason=Accompaniment.EndReason.OTHER) -> None:
    """Close the person's open episodes and erase what could identify them. Irreversible."""
    today = timezone.localdate()
    with transaction.atomic():
        Encounter.objects.filter(accompaniment__person=person).update(
            note="", place="", note_visibility=Encounter.NoteVisibility.PRIVATE
        )
        Goal.objects.filter(plan__person=person).update(text=ERASED)
        Step.objects.filter(goal__plan__person=person).update(text=ERASED)
        Review.objects.filter(plan__person=person).update(comment="")
        for erase in ANONYMISERS:
            erase(person)
        last = person.last_activity_on or today
        for accompaniment in Accompaniment.objects.filter(person=person, end__isnull=True):
            accompaniment.end = max(accompaniment.start, min(last, today))
            accompaniment.end_reason = end_reason
            accompaniment.save(update_fields=["end", "end_reason"])
        Person.objects.filter(pk=person.pk).update(
            alias=_("Personne anonymisée"),
            contact="",
            commune=None,
            birth_year=coarse_birth_year(person.birth_year),
            anonymised_at=timezone.now(),
        )
        person_anonymised.send(sender=Person, person=person)


def inactive_persons(days: int, today: datetime.date | None = None):
    """Persons not anonymised whose last activity is older than ``days`` days."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=days)
    recent = Q(date__gte=cutoff)
    return (
        Person.objects.active()
        .filter(
            Q(last_activity_on__lt=cutoff)
            | Q(last_activity_on__isnull=True, created_at__date__lt=cutoff)
        )
        # Belt and braces if last_activity_on was not kept up to date somewhere.
        .exclude(Exists(Encounter.objects.filter(recent, accompaniment__person=OuterRef("pk"))))
        .exclude(Exists(Referral.objects.filter(recent, person=OuterRef("pk"))))
        .exclude(Exists(Accompaniment.objects.filter(person=OuterRef("pk"), start__gte=cutoff)))
    )


EXPORT_SCHEMA_PATH = Path(__file__).with_name("export_schema.json")
ROLE_WORDS = {**dict(Role.choices), "person": gettext_lazy("la personne, depuis son espace")}


@cache
def export_schema() -> dict:
    """The JSON Schema of the export: its stable keys, their French titles and meaning."""
    return json.loads(EXPORT_SCHEMA_PATH.read_text(encoding="utf-8"))


def _local(moment) -> str:
    """A timestamp at Paris time with its offset (never UTC without saying so)."""
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


def export_data(person: Person, membership, note_visible) -> dict:
    """Everything held on ``person`` that ``membership`` may read, as JSON-ready data.

    ``note_visible(encounter)`` applies the note rule: a coordinator's export never contains
    a private note, a peer's contains their own notes.
    """
    consents = person.consents.select_related("recorded_by").order_by("recorded_at", "pk")
    accompaniments = person.accompaniments.select_related("facility").prefetch_related("peers")
    encounters = (
        Encounter.objects.filter(accompaniment__person=person)
        .select_related("peer")
        .order_by("date", "pk")
    )
    plan = (
        RecoveryPlan.objects.filter(person=person)
        .prefetch_related("domains", "goals__steps", "reviews__ratings__domain")
        .first()
    )
    events = AccessEvent.objects.about("accompaniment.person", person.pk).order_by("created_at")
    parts = {part.key: part.data(person, membership) for part in EXPORT_PARTS}
    return {
        "$schema": reverse("accompaniment:person_export_schema"),
        "exporte_le": timezone.localtime().isoformat(timespec="seconds"),
        "organisation": person.organisation.name,
        "personne": {
            "pseudonyme": person.alias,
            "annee_de_naissance": person.birth_year,
            "genre": person.get_gender_display(),
            "commune": person.commune.name if person.commune else "",
            "arrivee": person.get_origin_display(),
            "contact": person.visible_contact,
            "reference_dim": person.reference,
            "fiche_creee_le": timezone.localtime(person.created_at).date().isoformat(),
            "derniere_activite": _iso(person.last_activity_on),
        },
        "consentements": [
            {
                "finalite": c.get_purpose_display(),
                "decision": "donné" if c.given else "retiré",
                "recueilli": c.get_means_display(),
                "date": c.decided_on.isoformat(),
                "enregistre_le": _local(c.recorded_at),
                "par": str(c.recorded_by) if c.recorded_by else "",
            }
            for c in consents
        ],
        "accompagnements": [
            {
                "debut": a.start.isoformat(),
                "fin": _iso(a.end),
                "motif_de_fin": a.get_end_reason_display(),
                "cadre": a.get_setting_display(),
                "dispositif": a.facility.name if a.facility else "",
                "pairs": [str(p) for p in a.peers.all()],
            }
            for a in accompaniments
        ],
        "rencontres": [
            {
                "date": e.date.isoformat(),
                "duree_minutes": e.duration_minutes,
                "mode": e.get_mode_display(),
                "lieu": e.place,
                "nature": e.kind_labels(),
                "deroulement": e.get_outcome_display(),
                "pair": str(e.peer),
                "note": e.note if note_visible(e) else "",
            }
            for e in encounters
        ],
        "plan_de_retablissement": _plan_data(plan) if plan else None,
        "orientations": [
            {
                "ressource": r.resource.name,
                "type": r.resource.get_kind_display(),
                "date": r.date.isoformat(),
                "resultat": r.get_outcome_display(),
            }
            for r in person.referrals.select_related("resource").order_by("date", "pk")
        ],
        "acces_au_dossier": [
            {
                "date": _local(e.created_at),
                "role": str(ROLE_WORDS.get(e.role, e.role or _("non précisé"))),
                "role_code": e.role or "",
                "action": e.get_action_display(),
            }
            for e in events
        ],
        "consentements_en_vigueur": {
            str(ConsentPurpose(p).label): bool(c and c.given)
            for p, c in person.current_consents().items()
        },
        **parts,
    }


def _iso(day):
    return day.isoformat() if day else ""


def _plan_data(plan) -> dict:
    goals = list(plan.goals.all())
    return {
        "domaines": [
            {
                "nom": d.name,
                "objectifs": [
                    {
                        "objectif": g.text,
                        "etapes": [
                            {"etape": s.text, "statut": s.get_status_display()}
                            for s in g.steps.all()
                        ],
                    }
                    for g in goals
                    if g.domain_id == d.pk
                ],
            }
            for d in plan.domains.all()
        ],
        "points": [
            {
                "date": r.date.isoformat(),
                "commentaire": r.comment,
                "notes": [
                    {
                        "domaine": rating.domain.name,
                        "personne": rating.person_score,
                        "pair": rating.peer_score,
                    }
                    for rating in r.ratings.all()
                ],
            }
            for r in sorted(plan.reviews.all(), key=lambda r: (r.date, r.pk))
        ],
    }


def _fields(path: list[str]) -> dict:
    """The schema's properties of the rows under ``path`` (arrays and null-or-object
    unwrapped)."""
    node = export_schema()
    for key in path:
        node = node["properties"][key]
        if "oneOf" in node:
            node = next(n for n in node["oneOf"] if n.get("type") == "object")
        if node.get("type") == "array":
            node = node["items"]
    return node.get("properties", {})


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def shown_value(value, field: dict) -> str:
    """A value as a person reads it: French dates, local time, lists joined, "–" for none."""
    if value in ("", None, []):
        return "–"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    kind = field.get("format")
    if kind is None and isinstance(value, str) and ISO_DAY.match(value):
        kind = "date"  # an optional date ("" when none), so not typed as one in the schema
    try:
        if kind == "date":
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        if kind == "date-time":
            return datetime.datetime.fromisoformat(value).strftime("%d/%m/%Y à %H:%M")
    except (TypeError, ValueError):
        pass
    return str(value)


def labelled_rows(data: dict, key: str) -> dict:
    """A list of the export as a table for people: column titles from the schema, values
    shown in French (``role_code``, for machines, is left out)."""
    fields = {k: f for k, f in _fields([key]).items() if not k.endswith("_code")}
    rows = data.get(key) or []
    return {
        "headers": [fields[k]["title"] for k in fields],
        "rows": [[shown_value(row.get(k), fields[k]) for k in fields] for row in rows],
    }


def labelled_pairs(values: dict, key: str) -> list[tuple[str, str]]:
    """(French label, value shown) for each field of an object of the export."""
    fields = _fields([key])
    return [(fields[k]["title"], shown_value(v, fields.get(k, {}))) for k, v in values.items()]


def labelled_line(values: dict, key: str) -> str:
    """One line of text for the PDF: « Label : valeur ; … », empty fields left out."""
    fields = _fields([key])
    return " ; ".join(
        f"{fields.get(k, {}).get('title', k)} : {shown_value(v, fields.get(k, {}))}"
        for k, v in values.items()
        if v not in ("", None, []) and not k.endswith("_code")
    )
