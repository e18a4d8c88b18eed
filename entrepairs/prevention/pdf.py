"""The plan as a PDF (for the person, or a printed copy for a recipient) and the pocket card
(credit-card size, 85.6 × 54 mm) that says a plan exists and whom to call, never its
content. fpdf2, as the other PDFs of the project; DejaVu when Debian ships it."""

from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
CARD_SIZE_MM = (85.6, 54)


class _Writer:
    def __init__(self, pdf: FPDF):
        self.pdf = pdf
        if DEJAVU.exists():
            pdf.add_font("DejaVu", "", str(DEJAVU))
            pdf.add_font("DejaVu", "B", str(DEJAVU_BOLD if DEJAVU_BOLD.exists() else DEJAVU))
            self.font = "DejaVu"
            self.clean = str
        else:  # core fonts are Latin-1 only
            self.font = "helvetica"
            self.clean = lambda text: str(text).encode("latin-1", "replace").decode("latin-1")

    def line(self, text, size=10, height=5, bold=False):
        self.pdf.set_font(self.font, "B" if bold else "", size)
        self.pdf.multi_cell(0, height, self.clean(text), new_x="LMARGIN", new_y="NEXT")


def _local(dt):
    return timezone.localtime(dt).strftime("%d/%m/%Y")


def plan_pdf(version, trusted: dict | None, comments: list, for_whom: str = "") -> bytes:
    """The signed version (or the draft, marked as such), in the person's words."""
    pdf = FPDF(format="A4")
    pdf.set_title("Plan de prévention partagé")
    pdf.set_author("Entre Pairs")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    w = _Writer(pdf)
    w.line(_("Plan de prévention partagé"), size=16, height=9, bold=True)
    person = version.plan.person
    w.line(_("Plan de %(alias)s") % {"alias": person.alias}, size=11)
    if version.is_signed:
        w.line(
            _("Version %(n)s, signée par la personne le %(date)s.")
            % {"n": version.number, "date": _local(version.signed_at)},
            size=9,
        )
    else:
        w.line(_("BROUILLON : pas encore signé par la personne."), bold=True)
    if version.is_revoked:
        w.line(_("RETIRÉ par la personne le %(date)s.") % {"date": _local(version.revoked_at)})
    if for_whom:
        w.line(_("Copie remise à : %(who)s") % {"who": for_whom}, size=9)
    for section in version.filled_sections():
        pdf.ln(2)
        w.line(section["title"], size=12, height=7, bold=True)
        w.line(section["text"])
    if trusted:
        pdf.ln(2)
        w.line(_("Ma personne de confiance (art. L1111-6 CSP)"), size=12, height=7, bold=True)
        w.line(" – ".join(v for v in (trusted["name"], trusted["relationship"]) if v))
        if trusted["contact"]:
            w.line(trusted["contact"])
        if trusted["agreed_on"]:
            w.line(
                _("Son accord : %(means)s, le %(date)s.")
                % {
                    "means": trusted["agreement_means"],
                    "date": trusted["agreed_on"].strftime("%d/%m/%Y"),
                }
            )
        else:
            w.line(_("Son accord n'est pas encore recueilli."))
    if comments:
        pdf.ln(2)
        w.line(_("Avis du ou de la psychiatre (ajoutés, sans rien changer au plan)"), 12, 7, True)
        for comment in comments:
            text = f" : {comment['text']}" if comment["text"] else ""
            w.line(f"{comment['date']} – {comment['stance']}{text}")
    pdf.ln(4)
    w.line(
        _("Document édité par Entre Pairs le %(date)s. Ce plan est confidentiel.")
        % {"date": timezone.localdate().strftime("%d/%m/%Y")},
        size=8,
        height=4,
    )
    return bytes(pdf.output())


def card_lines(version, card: dict, trusted: dict | None) -> list[tuple[str, int, bool]]:
    """What the pocket card says, line by line (text, size, bold): that a plan exists, its
    date, and whom to call. Never a section of the plan."""
    lines = [
        (_("J'ai un plan de prévention partagé"), 9, True),
        (
            _("Signé le %(date)s. En cas de crise, merci d'appeler :")
            % {"date": _local(version.signed_at)},
            7,
            False,
        ),
    ]
    if card.get("card_contact_name"):
        lines.append((card["card_contact_name"], 8, True))
        if card.get("card_contact_phone"):
            lines.append((card["card_contact_phone"], 9, True))
    if trusted and trusted.get("name"):
        lines.append((_("Ma personne de confiance :"), 7, False))
        contact = " ".join(v for v in (trusted["name"], trusted.get("contact", "")) if v)
        lines.append((contact, 8, True))
    return lines


CARD_FOOTER = "Ces personnes savent où trouver mon plan. Il ne figure pas sur cette carte."


def card_pdf(version, card: dict, trusted: dict | None) -> bytes:
    pdf = FPDF(unit="mm", format=CARD_SIZE_MM)
    pdf.set_title("Carte : plan de prévention partagé")
    pdf.set_author("Entre Pairs")
    pdf.set_margins(4, 4, 4)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    w = _Writer(pdf)
    for text, size, bold in card_lines(version, card, trusted):
        w.line(text, size=size, height=size / 2, bold=bold)
    pdf.set_y(CARD_SIZE_MM[1] - 9)
    w.line(_(CARD_FOOTER), size=6, height=3)
    return bytes(pdf.output())
