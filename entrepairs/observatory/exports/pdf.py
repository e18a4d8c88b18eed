"""The annual report as PDF (fpdf2, like the project's other PDFs): for an organisation, a
region or the nation. Per theme, each indicator gets its headline figure, its chart (the
page's SVG), its table and its definition; the caveats close the report.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from .table import WITHHELD, Table, Withheld, display_value
from .tabular import ATTRIBUTION, Definition

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
_REPLACEMENTS = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "œ": "oe"}
# fpdf2 draws SVG shapes but not these elements: the PDF gives the text next to the chart.
_UNDRAWN = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>", re.DOTALL)
MAX_TABLE_ROWS = 40


@dataclass
class ReportItem:
    title: str
    headline: str = ""
    chart_svg: str = ""
    table: Table | None = None
    definition: Definition | None = None


@dataclass
class ReportSection:
    title: str
    items: list[ReportItem] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    period: str
    sections: list[ReportSection] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    source: str = ""


class _Writer:
    def __init__(self, pdf: FPDF):
        self.pdf = pdf
        if DEJAVU.exists():
            pdf.add_font("DejaVu", "", str(DEJAVU))
            pdf.add_font("DejaVu", "B", str(DEJAVU_BOLD if DEJAVU_BOLD.exists() else DEJAVU))
            pdf.add_font("DejaVu", "I", str(DEJAVU))
            self.font = "DejaVu"
            self.clean = str
        else:  # core fonts are Latin-1 only
            self.font = "helvetica"
            self.clean = _latin1

    def line(self, text, size=10, height=5, style=""):
        self.pdf.set_font(self.font, style, size)
        self.pdf.multi_cell(0, height, self.clean(text), new_x="LMARGIN", new_y="NEXT")


def _latin1(text) -> str:
    text = str(text or "")
    for char, repl in _REPLACEMENTS.items():
        text = text.replace(char, repl)
    return text.encode("latin-1", "replace").decode("latin-1")


def _svg_image(svg: str) -> io.BytesIO:
    return io.BytesIO(_UNDRAWN.sub("", str(svg)).encode("utf-8"))


def _table(w: _Writer, table: Table, notes: bool = True):
    pdf = w.pdf
    rows = table.rows[:MAX_TABLE_ROWS]
    pdf.set_font(w.font, "", 8)
    headings = FontFace(emphasis="BOLD", fill_color=(220, 230, 240))
    numeric = [column.is_numeric for column in table.columns]
    with pdf.table(
        headings_style=headings,
        line_height=4.5,
        text_align=["RIGHT" if n else "LEFT" for n in numeric],
        first_row_as_headings=True,
    ) as grid:
        heading = grid.row()
        for column in table.columns:
            label = f"{column.label} ({column.unit})" if column.unit else column.label
            heading.cell(w.clean(label))
        for values in rows:
            row = grid.row()
            for value, column in zip(values, table.columns, strict=True):
                style = FontFace(emphasis="ITALICS") if isinstance(value, Withheld) else None
                row.cell(w.clean(display_value(value, column)), style=style)
    if len(table.rows) > MAX_TABLE_ROWS:
        w.line(
            _("… %(n)s lignes de plus dans l'export CSV ou XLSX.")
            % {"n": len(table.rows) - MAX_TABLE_ROWS},
            size=8,
        )
    for note in [*table.caveats, *table.footnotes] if notes else table.footnotes:
        w.line(note, size=8, height=4, style="I")


def report_pdf(report: Report) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(report.title) if not DEJAVU.exists() else report.title)
    pdf.set_author(ATTRIBUTION)
    pdf.set_subject(report.subtitle)
    pdf.set_lang("fr")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    w = _Writer(pdf)
    w.line(report.title, size=18, height=9, style="B")
    w.line(report.subtitle, size=11)
    w.line(_("Période : %(period)s") % {"period": report.period}, size=11)
    w.line(
        _("Édité par Entre Pairs le %(date)s.") % {"date": f"{timezone.localdate():%d/%m/%Y}"},
        size=9,
    )
    pdf.ln(3)
    w.line(_("Secret statistique"), size=12, height=7, style="B")
    w.line(
        _(
            "Aucun effectif de 1 à 10 personnes n'est publié, ni aucune moyenne ou proportion "
            "calculée sur moins de 11 personnes ; d'autres cases sont masquées pour qu'aucune "
            "case masquée ne puisse être recalculée, même en croisant les tableaux."
        ),
        size=9,
    )
    for marker in WITHHELD:
        w.line(f"« {marker.label} » : {marker.explanation}", size=9)

    for section in report.sections:
        pdf.add_page()
        w.line(section.title, size=15, height=8, style="B")
        for item in section.items:
            pdf.ln(2)
            w.line(item.title, size=12, height=6, style="B")
            if item.headline:
                w.line(item.headline, size=10)
            if item.chart_svg:
                pdf.image(_svg_image(item.chart_svg), w=120)
            if item.table is not None and item.table.rows:
                # The definition follows: the table's caveats would repeat it.
                _table(w, item.table, notes=item.definition is None)
            if item.definition is not None:
                d = item.definition
                w.line(_("Définition : %(text)s") % {"text": d.definition}, size=8, height=4)
                if d.numerator:
                    w.line(_("Numérateur : %(text)s") % {"text": d.numerator}, size=8, height=4)
                if d.denominator:
                    w.line(_("Dénominateur : %(text)s") % {"text": d.denominator}, size=8, height=4)
                if d.source:
                    w.line(_("Source : %(text)s") % {"text": d.source}, size=8, height=4)

    if report.caveats or report.source:
        pdf.add_page()
        w.line(_("Précautions de lecture"), size=15, height=8, style="B")
        for caveat in report.caveats:
            w.line(f"– {caveat}", size=9)
        if report.source:
            pdf.ln(2)
            w.line(report.source, size=8, style="I")
    return bytes(pdf.output())
