"""Printable mission charter as PDF, with fpdf2 (pure Python, core fonts)."""

from django.utils import timezone
from fpdf import FPDF

from .models import MissionCharter

_REPLACEMENTS = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "œ": "oe"}


def _latin1(text) -> str:
    """Core PDF fonts are Latin-1: keep French accents, replace the rest."""
    text = str(text or "")
    for char, repl in _REPLACEMENTS.items():
        text = text.replace(char, repl)
    return text.encode("latin-1", "replace").decode("latin-1")


def charter_pdf(charter: MissionCharter) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(str(charter)))
    pdf.set_author("Entre Pairs")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text, size=12):
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    def para(text):
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    heading(f"Fiche de mission - version {charter.version}", 16)
    para(f"{charter.peer} ({charter.peer.get_title_display()}) - {charter.facility}")
    para(f"Organisation : {charter.facility.organisation}")
    if not charter.is_fully_signed:
        heading("DOCUMENT NON SIGNÉ : brouillon en cours de signature")
    heading("Répartition du temps")
    para(
        f"Accompagnement individuel : {charter.share_individual} %   "
        f"Groupes : {charter.share_groups} %   "
        f"Participation institutionnelle : {charter.share_institutional} %"
    )
    heading("Missions confiées")
    para(charter.tasks_in_scope)
    heading("Ce qui n'entre pas dans la mission")
    para(charter.out_of_scope)
    heading("Ce qui est partagé avec l'équipe")
    para(charter.shared_with_team)
    heading("Ce qui reste entre le ou la pair-aidant·e et la personne")
    para(charter.stays_private)
    heading("Cadre")
    referent = charter.referent.user.get_full_name() if charter.referent else "non désigné·e"
    para(f"Professionnel·le référent·e : {referent}")
    para(
        f"Supervision ou analyse de la pratique au moins toutes les {charter.supervision_every_weeks} semaines"
    )
    if charter.review_by:
        para(f"À revoir avant le {charter.review_by:%d/%m/%Y}")
    heading("Signatures")
    signatures = {s.party: s for s in charter.signatures.all()}
    for party in MissionCharter.SIGNING_ORDER:
        s = signatures.get(party)
        label = MissionCharter.Party(party).label
        if s:
            when = timezone.localtime(s.signed_at)
            para(f"{label} : {s.user.get_full_name()}, signé le {when:%d/%m/%Y à %H:%M}")
        else:
            para(f"{label} : pas encore signé")
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(
        width,
        4,
        _latin1(f"Document édité par Entre Pairs le {timezone.localdate():%d/%m/%Y}."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
