"""The prevention plan in the person's rights: its part of the export, and its erasure at
anonymisation (registered with ``accompaniment.rights`` in ``apps.ready``).

The export holds the plan's dates, sharing, reads and crisis records for whoever exports the
record; its content only for the person's peer (who may read it in the application), so a
coordinator's export never holds it. The person downloads the whole plan from their space.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import can_read_content
from .crypto import UnreadableContent
from .models import (
    CrisisRecord,
    PlanVersion,
    PreventionPlan,
    PsychiatristComment,
    Recipient,
    RetiredLink,
    TrustedPerson,
)
from .reading import crises_of, reading_of, reads_of, recipients_of


def _iso(dt):
    return dt.isoformat(timespec="minutes") if dt else ""


def export_data(person, membership) -> dict | None:
    plan = PreventionPlan.objects.filter(person=person).first()
    if plan is None:
        return None
    content = can_read_content(membership) and not plan.is_erased
    data = {
        "cree_le": _iso(plan.created_at),
        "versions": [
            {
                "numero": v.number,
                "creee_le": _iso(v.created_at),
                "signee_le": _iso(v.signed_at),
                "signature": v.get_signed_means_display(),
                "retiree_le": _iso(v.revoked_at),
            }
            for v in plan.versions_list()
        ],
        "destinataires": [
            {
                "type": r.get_kind_display(),
                "accord_donne_le": _iso(r.given_at),
                "accord_retire_le": _iso(r.withdrawn_at),
            }
            for r in Recipient.objects.filter(plan=plan)
        ],
        "lectures": len(plan.reads.all()),
        "crises": [
            {"date": c.crisis_on.isoformat(), "souhaits_respectes": c.get_respected_display()}
            for c in CrisisRecord.objects.filter(plan=plan)
        ],
        "contenu": None,
    }
    if content:
        try:
            version = plan.in_force or plan.latest_signed or plan.draft
            data["contenu"] = _content(plan, version) if version else None
        except UnreadableContent:
            data["contenu"] = None
    else:
        data["contenu_note"] = _(
            "Le contenu du plan n'est lisible que par la personne (dans son espace), par son "
            "pair-aidant·e et par les destinataires qu'elle a choisis."
        )
    return data


def _content(plan, version) -> dict:
    reading = reading_of(version)
    return {
        "version": version.number,
        "rubriques": {str(s["title"]): s["text"] for s in reading["sections"]},
        "carte": reading["card"],
        "personne_de_confiance": {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in (reading["trusted"] or {}).items()
        },
        "avis": reading["comments"],
        "destinataires": [r.label() for r in recipients_of(plan)],
        "lectures": [
            {"date": _iso(r["date"]), "qui": r["who"], "comment": r["channel"]}
            for r in reads_of(plan)
        ],
        "crises": [
            {"date": c["date"].isoformat(), "souhaits": c["respected"], "pourquoi": c["why"]}
            for c in crises_of(plan)
        ],
    }


def export_lines(data) -> list[str]:
    if not data:
        return []
    lines = [_("Plan commencé le %(d)s") % {"d": data["cree_le"][:10]}]
    for v in data["versions"]:
        state = (
            _("signée le %(d)s") % {"d": v["signee_le"][:10]} if v["signee_le"] else _("brouillon")
        )
        if v["retiree_le"]:
            state += ", " + _("retirée le %(d)s") % {"d": v["retiree_le"][:10]}
        lines.append(_("Version %(n)s : %(state)s") % {"n": v["numero"], "state": state})
    for r in data["destinataires"]:
        withdrawn = r["accord_retire_le"][:10]
        lines.append(
            _("Partagé avec : %(t)s, le %(d)s") % {"t": r["type"], "d": r["accord_donne_le"][:10]}
            + (" – " + _("retiré le %(d)s") % {"d": withdrawn} if withdrawn else "")
        )
    for c in data["crises"]:
        lines.append(
            _("Crise du %(d)s : souhaits respectés : %(r)s")
            % {"d": c["date"], "r": c["souhaits_respectes"]}
        )
    content = data.get("contenu")
    if content:
        lines += [f"{title} : {text}" for title, text in content["rubriques"].items()]
        trusted = content["personne_de_confiance"]
        if trusted:
            lines.append(_("Personne de confiance : %(n)s") % {"n": trusted.get("name", "")})
    elif data.get("contenu_note"):
        lines.append(data["contenu_note"])
    return lines


@dataclass(frozen=True)
class ExportPart:
    key: str
    title: str

    def data(self, person, membership):
        return export_data(person, membership)

    def lines(self, data):
        return export_lines(data)


EXPORT_PART = ExportPart("plan_de_prevention", gettext_lazy("Plan de prévention partagé"))


def anonymise_plan(person) -> None:
    """Erase what the plan says (crypto-shredding: the plan's key is erased, then every
    ciphertext); keep the dates and categories the outcomes count."""
    plans = PreventionPlan.objects.filter(person=person)
    TrustedPerson.objects.filter(version__plan__in=plans).delete()
    PlanVersion.objects.filter(plan__in=plans).update(content="")
    Recipient.objects.filter(plan__in=plans, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_means=Recipient.ConsentMeans.ORAL, token_hash=""
    )
    Recipient.objects.filter(plan__in=plans).update(name="", token_hash="", link_nonce="")
    RetiredLink.objects.filter(recipient__plan__in=plans).delete()
    CrisisRecord.objects.filter(plan__in=plans).update(why="")
    PsychiatristComment.objects.filter(version__plan__in=plans).update(text="")
    plans.update(wrapped_key="", person_notes="", person_notes_at=None)
