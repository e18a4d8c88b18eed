"""Where each SAE year puts each figure: one column mapping per year of the DREES SAE.

The SAE psychiatry form (bordereau PSY) changes from year to year: columns are merged,
renamed or dropped. The importer reads a year's files through that year's ``Layout``:

- a figure maps to the columns summed to make it (``("NB_CMP_SEUL_PA", "NB_CMP_SEUL_PL")``:
  CMPs open full time plus part time), or to ``()`` when that year's form does not ask for
  it: the figure is then stored as "non déclaré" (None, with the status ``not_in_form``),
  never as zero and never as a failure;
- when a file does not have the columns its year's layout names (a layout not yet checked,
  or a year without a layout), the importer takes the first of the known ``ALTERNATIVES``
  whose columns are all in the file, and says so in its report;
- column names are compared without case (``fi`` = ``FI``), as DREES changed the case of
  the directory's columns between years.

What was checked (docs/sources-de-donnees.md, « import_sae »):

- 2022: every column below read in the real files of data/reference (DREES SAE 2022
  statistical bases, as republished; see data/reference/README.md).
- 2019, 2020, 2021, 2023: DREES publishes each year's variables in a dictionary per bordereau
  ("SAE<year>_Dictionnaire_des_variables_par_bordereaux.xlsx", data.drees), which could not
  be read from here. The mappings below follow a public multi-year SAE loader (2020-2024
  files), which shows these changes without dating each one: psychiatrists' FTE given as one
  merged ``ETP_PKT`` instead of ``ETPSAL_PKT`` (salaried) + ``EFFLIB_PKT`` (private
  headcount); CMPs as one ``NB_CMP_SEUL`` instead of ``NB_CMP_SEUL_PA`` + ``NB_CMP_SEUL_PL``;
  the "hors pôle" ``HPL*`` columns and the headcounts ``EFFPL_*`` / ``EFFPA_*`` present some
  years only. 2019-2021 are taken as the 2022 layout and 2023 as the merged one; each is
  marked ``verified=False`` and, whatever the layout says, a file whose columns differ is
  read through ``ALTERNATIVES`` with a note, never refused for a renamed figure.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    name: str  # ContextFigures field
    label: str  # French, for the import report
    decimal: bool
    # Above this value for one establishment and one discipline, the import report flags the
    # figure as implausible (kept as declared: the SAE is the source). About 2.5 times the
    # largest value declared in SAE 2022 (docs/sources-de-donnees.md gives both).
    upper_bound: int


FIGURES = {
    f.name: f
    for f in (
        Figure("sectors", "secteurs", False, 40),
        Figure("full_time_beds", "lits d'hospitalisation à temps plein", False, 2_000),
        Figure("day_places", "places d'hôpital de jour", False, 1_000),
        Figure("cmp_count", "CMP", False, 100),
        Figure("cattp_count", "CATTP", False, 100),
        Figure("active_file", "file active", False, 150_000),
        Figure("outpatient_active_file", "file active exclusivement ambulatoire", False, 150_000),
        Figure("nurse_fte", "ETP d'infirmier·es", True, 3_000),
        Figure("psychologist_fte", "ETP de psychologues", True, 500),
        Figure("educator_fte", "ETP d'éducateur·rices", True, 500),
        Figure("care_assistant_fte", "ETP d'aides-soignant·es", True, 1_000),
        Figure("psychiatrist_fte", "ETP de psychiatres", True, 800),
    )
}
FIGURE_NAMES = list(FIGURES)

# Every way a known year of the form gives each figure, in order of preference.
ALTERNATIVES: dict[str, list[tuple[str, ...]]] = {
    "sectors": [("NB_SECT",)],
    "full_time_beds": [("CAP_HTP",)],
    "day_places": [("CAP_HDJ",)],
    "cmp_count": [("NB_CMP_SEUL_PA", "NB_CMP_SEUL_PL"), ("NB_CMP_SEUL",)],
    "cattp_count": [("NB_CATTP",)],
    "active_file": [("FIL_TOT",)],
    "outpatient_active_file": [("FIL_AMB",)],
    "nurse_fte": [("ETP_INF",)],
    "psychologist_fte": [("ETP_PSY",)],
    "educator_fte": [("ETP_EDU",)],
    "care_assistant_fte": [("ETP_AID",)],
    "psychiatrist_fte": [("ETPSAL_PKT",), ("ETP_PKT",)],
}

# The directory (file "id"): identity field -> accepted column names (case ignored).
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "finess_et": ("FI",),
    "finess_ej": ("FI_EJ",),
    "name": ("RS",),
    "category": ("CAT",),
    "region": ("REG",),
    "department": ("DEP",),
    "commune": ("COMINSEE", "COM_INSEE", "DEPCOM"),
}
# The psychiatry form's key columns.
PSY_KEYS = ("AN", "FI", "DIS")


@dataclass(frozen=True)
class Layout:
    year: int | None  # None: a year without a documented layout
    figures: dict[str, tuple[str, ...]]
    verified: bool
    note: str = ""
    renamed: dict[str, str] = field(default_factory=dict)  # documentation only


LAYOUT_2022 = {name: alternatives[0] for name, alternatives in ALTERNATIVES.items()}
LAYOUT_MERGED = LAYOUT_2022 | {"cmp_count": ("NB_CMP_SEUL",), "psychiatrist_fte": ("ETP_PKT",)}

LAYOUTS = {
    2019: Layout(2019, LAYOUT_2022, verified=False, note="supposée identique à 2022"),
    2020: Layout(2020, LAYOUT_2022, verified=False, note="supposée identique à 2022"),
    2021: Layout(2021, LAYOUT_2022, verified=False, note="supposée identique à 2022"),
    2022: Layout(2022, LAYOUT_2022, verified=True, note="lue dans les fichiers réels"),
    2023: Layout(
        2023,
        LAYOUT_MERGED,
        verified=False,
        note="CMP et psychiatres en une colonne chacun (NB_CMP_SEUL, ETP_PKT)",
        renamed={
            "NB_CMP_SEUL_PA + NB_CMP_SEUL_PL": "NB_CMP_SEUL",
            "ETPSAL_PKT (+ EFFLIB_PKT)": "ETP_PKT",
        },
    ),
}


def layout_for(year: int) -> Layout:
    """The documented layout of ``year``, else one that accepts every known alternative."""
    if year in LAYOUTS:
        return LAYOUTS[year]
    return Layout(
        None,
        {name: alternatives[0] for name, alternatives in ALTERNATIVES.items()},
        verified=False,
        note="année sans correspondance documentée",
    )


def resolve(layout: Layout, header: set[str]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Figure -> columns actually read in a file whose (upper-case) columns are ``header``;
    () for a figure the file does not give. Also the report's notes about the differences."""
    columns, notes = {}, []
    label = layout.year or "cette année"
    for name in FIGURE_NAMES:
        wanted = layout.figures.get(name, ())
        if wanted and all(column in header for column in wanted):
            columns[name] = wanted
            continue
        found = next(
            (alt for alt in ALTERNATIVES[name] if all(column in header for column in alt)), ()
        )
        columns[name] = found
        figure = FIGURES[name].label
        expected = " + ".join(wanted) if wanted else "aucune colonne"
        if found:
            notes.append(
                f"{figure} : lu dans {' + '.join(found)} (correspondance {label} : {expected})"
            )
        elif wanted:
            notes.append(
                f"{figure} : colonne {expected} absente du fichier, chiffre « non déclaré » "
                "pour tous les établissements"
            )
        else:
            notes.append(f"{figure} : absent du formulaire {label}, « non déclaré »")
    return columns, notes


def implausible(name: str, value) -> bool:
    return value is not None and Decimal(value) > FIGURES[name].upper_bound
