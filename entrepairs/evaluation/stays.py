"""Import of the hospital stays CSV filled by the medical information department (DIM).

The file is the complete extract for the organisation: a clean file replaces every stay
imported before. One bad line and nothing is imported; every bad line is reported. A line is
read with the shared plausibility rules (``core.validators``): plain digits for a reference, a
date between 1900 and today, no NUL byte, no line longer than ``MAX_LINE`` characters.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from entrepairs.accompaniment.models import Person, parse_person_reference
from entrepairs.core.validators import PAST_DATE, has_nul

from .models import HospitalStay, LegalMode

COLUMNS = ("reference_personne", "date_entree", "date_sortie", "mode_legal")
MAX_LINES = 100_000
MAX_LINE = 1000  # a stay takes about 40 characters; csv itself stops at 128 KiB with an error


class SemicolonDialect(csv.excel):
    delimiter = ";"


@dataclass
class StayRow:
    line: int
    person_id: int
    admission: date
    discharge: date
    legal_mode: str


def _date(text: str) -> date | None:
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def unreadable_lines(text: str) -> list[str]:
    """Lines that no CSV reader should be given: with a NUL byte, or far too long."""
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if has_nul(line):
            problems.append(f"Ligne {number} : caractère nul (le fichier est-il bien un CSV ?).")
        elif len(line) > MAX_LINE:
            problems.append(f"Ligne {number} : ligne trop longue ({MAX_LINE} caractères au plus).")
        if len(problems) >= 100:
            break
    return problems


def parse_stays(content: bytes, organisation) -> tuple[list[StayRow], list[str]]:
    """Rows of a clean file, or the list of every problem (line number and reason, French)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["Le fichier n'est pas en UTF-8."]
    problems = unreadable_lines(text)
    if problems:
        return [], problems
    try:
        return _parse_records(text, organisation)
    except csv.Error:  # a quoted field running over many lines, past csv's own 128 KiB limit
        return [], ["Le fichier contient un champ illisible (guillemet non fermé ?)."]


def _parse_records(text: str, organisation) -> tuple[list[StayRow], list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,")
    except csv.Error:
        dialect = SemicolonDialect
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [f"Ligne 1 : colonnes manquantes : {', '.join(missing)}."]
    reader.fieldnames = header
    known = set(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))
    modes = set(LegalMode.values)
    rows, errors = [], []
    for number, record in enumerate(reader, start=2):
        if number > MAX_LINES:
            errors.append(f"Le fichier dépasse {MAX_LINES} lignes.")
            break
        problems = []
        reference = (record.get("reference_personne") or "").strip()
        person_id = parse_person_reference(reference)
        if person_id is None or person_id not in known:
            problems.append(f"référence de personne inconnue « {reference[:20]} »")
        admission, discharge = _date(record.get("date_entree")), _date(record.get("date_sortie"))
        for day, label in ((admission, "d'entrée"), (discharge, "de sortie")):
            if day is None:
                problems.append(f"date {label} illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
            elif PAST_DATE.problem(day):
                problems.append(f"date {label} hors des dates possibles (de 1900 à aujourd'hui)")
        if admission and discharge and discharge < admission:
            problems.append("la sortie est avant l'entrée")
        mode = (record.get("mode_legal") or "").strip().upper()
        if mode not in modes:
            problems.append(
                f"mode légal inconnu « {mode[:10]} » (attendu : {', '.join(sorted(modes))})"
            )
        if problems:
            errors.append(f"Ligne {number} : {' ; '.join(problems)}.")
        else:
            rows.append(StayRow(number, person_id, admission, discharge, mode))
    by_person: dict[int, list[StayRow]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(row)
    for stays in by_person.values():
        stays.sort(key=lambda r: (r.admission, r.discharge))
        for previous, current in zip(stays, stays[1:], strict=False):
            # A transfer (discharge and admission the same day) is not an overlap.
            if current.admission < previous.discharge:
                errors.append(
                    f"Ligne {current.line} : ce séjour chevauche celui de la ligne {previous.line}."
                )
    errors.sort(key=lambda e: int(e.split(" ")[1]) if e.split(" ")[1].isdigit() else 0)
    return (rows if not errors else []), errors


@transaction.atomic
def replace_stays(organisation, rows: list[StayRow]) -> int:
    HospitalStay.objects.filter(organisation=organisation).delete()
    HospitalStay.objects.bulk_create(
        HospitalStay(
            organisation=organisation,
            person_id=row.person_id,
            admission=row.admission,
            discharge=row.discharge,
            legal_mode=row.legal_mode,
        )
        for row in rows
    )
    return len(rows)
