"""Load a competency framework from its YAML definition, after checking it (French errors)."""

from pathlib import Path

import jsonschema
import yaml
from django.db import transaction

DEFAULT_FRAMEWORK = Path(__file__).resolve().parent / "frameworks" / "default-v1.yaml"

_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
SCHEMA = {
    "type": "object",
    "required": ["slug", "version", "name", "domains"],
    "additionalProperties": False,
    "properties": {
        "slug": {"type": "string", "pattern": "^[a-z0-9-]{1,60}$"},
        "version": {"type": "integer", "minimum": 1, "maximum": 999},
        "name": _TEXT,
        "description": {"type": "string", "maxLength": 2000},
        "domains": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "name", "competencies"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "minLength": 1, "maxLength": 20},
                    "name": _TEXT,
                    "competencies": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["code", "name", "levels"],
                            "additionalProperties": False,
                            "properties": {
                                "code": {"type": "string", "minLength": 1, "maxLength": 20},
                                "name": _TEXT,
                                "description": {"type": "string", "maxLength": 1000},
                                "levels": {
                                    "type": "array",
                                    "minItems": 4,
                                    "maxItems": 4,
                                    "items": {"type": "string", "minLength": 1, "maxLength": 500},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


class FrameworkError(ValueError):
    """The definition file is not a valid framework; the message is in French."""


def _where(error) -> str:
    return "/".join(str(p) for p in error.absolute_path) or "racine du fichier"


def _french(error) -> str:
    where = _where(error)
    messages = {
        "required": "champ obligatoire manquant",
        "additionalProperties": "champ inconnu",
        "type": f"type attendu : {error.validator_value}",
        "minItems": f"au moins {error.validator_value} élément(s) attendu(s)",
        "maxItems": f"au plus {error.validator_value} élément(s) attendu(s)",
        "minLength": "texte vide",
        "maxLength": f"texte trop long (au plus {error.validator_value} caractères)",
        "pattern": "identifiant invalide (minuscules, chiffres et tirets seulement)",
        "minimum": f"valeur minimale : {error.validator_value}",
        "maximum": f"valeur maximale : {error.validator_value}",
    }
    detail = messages.get(error.validator, "valeur invalide")
    if error.validator in ("required", "additionalProperties"):
        detail = f"{detail} ({error.message.split(chr(39))[1] if chr(39) in error.message else ''})"
    if (
        error.validator in ("minItems", "maxItems")
        and error.absolute_path
        and (error.absolute_path[-1] == "levels")
    ):
        detail = "chaque compétence doit avoir exactement 4 niveaux"
    return f"{where} : {detail}"


def parse_framework(text: str) -> dict:
    """Parse and validate a YAML definition; raise FrameworkError listing every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FrameworkError(f"Le fichier n'est pas un YAML lisible : {exc}") from exc
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    problems = [_french(e) for e in errors]
    if not problems:
        codes = [d["code"] for d in data["domains"]]
        codes += [c["code"] for d in data["domains"] for c in d["competencies"]]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            problems.append(f"codes en double : {', '.join(duplicates)}")
    if problems:
        raise FrameworkError("Référentiel invalide :\n- " + "\n- ".join(problems))
    return data


def load_framework(data: dict, organisation=None, source: str = "", apps=None):
    """Create the framework version from validated ``data``. Refuses an existing version."""
    if apps is None:
        from django.apps import apps
    Framework = apps.get_model("workforce", "CompetencyFramework")
    Domain = apps.get_model("workforce", "CompetencyDomain")
    Competency = apps.get_model("workforce", "Competency")
    org_id = organisation.pk if organisation is not None else None
    if Framework.objects.filter(
        organisation_id=org_id, slug=data["slug"], version=data["version"]
    ).exists():
        raise FrameworkError(
            f"La version {data['version']} du référentiel « {data['slug']} » est déjà chargée : "
            "augmentez le numéro de version."
        )
    with transaction.atomic():
        framework = Framework.objects.create(
            organisation_id=org_id,
            slug=data["slug"],
            version=data["version"],
            name=data["name"],
            description=data.get("description", ""),
            source=source[:200],
        )
        for d_order, d in enumerate(data["domains"]):
            domain = Domain.objects.create(
                framework=framework, code=d["code"], name=d["name"], order=d_order
            )
            Competency.objects.bulk_create(
                Competency(
                    domain=domain,
                    code=c["code"],
                    name=c["name"],
                    description=c.get("description", ""),
                    levels=c["levels"],
                    order=c_order,
                )
                for c_order, c in enumerate(d["competencies"])
            )
    return framework


def load_default_framework(apps=None):
    return load_framework(
        parse_framework(DEFAULT_FRAMEWORK.read_text(encoding="utf-8")),
        source="frameworks/default-v1.yaml",
        apps=apps,
    )
