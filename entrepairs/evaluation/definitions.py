"""Instrument definition files: YAML in ``instruments/``, checked against a JSON schema.

A definition is a plain dict (the YAML after validation and normalisation). Everything that
reads instruments — scoring, forms, FHIR — works on that dict, never on the YAML text.
"""

import copy
import hashlib
import json
from functools import cache
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
SCHEMA_PATH = Path(__file__).resolve().parent / "instrument_schema.json"

SCORED_TYPES = {"scale", "zero_to_ten", "yes_partly_no", "single_choice", "multiple_choice"}
CHOICE_TYPES = {"scale", "yes_partly_no", "single_choice", "multiple_choice"}
YES_PARTLY_NO = [
    {"code": "yes", "label": "Oui", "score": 2},
    {"code": "partly", "label": "En partie", "score": 1},
    {"code": "no", "label": "Non", "score": 0},
]
FREE_TEXT_MAX = 300


class InstrumentDefinitionError(ValueError):
    """A definition file is malformed: says which file, which item, and why (in French)."""

    def __init__(self, reason: str, *, file: str = "", item: str = ""):
        self.file, self.item, self.reason = file, item, reason
        where = []
        if file:
            where.append(f"fichier {file}")
        if item:
            where.append(f"question « {item} »")
        super().__init__(f"{', '.join(where)} : {reason}" if where else reason)


@cache
def _validator():
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _french_reason(error) -> str:
    field = ".".join(str(p) for p in error.absolute_path) or "racine"
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"champ obligatoire « {missing} » manquant ({field})"
    if kind == "additionalProperties":
        extra = ", ".join(sorted(set(error.instance) - set(error.schema.get("properties", {}))))
        return f"champ inconnu « {extra} » ({field})"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"valeur « {error.instance} » non permise pour {field} (attendu : {allowed})"
    if kind == "type":
        return f"type incorrect pour {field} (attendu : {error.validator_value})"
    if kind == "pattern":
        return f"format incorrect pour {field} : « {error.instance} »"
    if kind in ("minItems", "minLength"):
        return f"{field} est trop court ou vide"
    if kind in ("maxLength", "maximum", "minimum", "exclusiveMinimum"):
        return f"valeur hors limites pour {field}"
    return f"{field} est invalide ({kind})"


def _item_of(error, data) -> str:
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
        try:
            return str(data["items"][path[1]].get("code", f"n°{path[1] + 1}"))
        except (KeyError, IndexError, AttributeError, TypeError):
            return f"n°{path[1] + 1}"
    if len(path) >= 2 and path[0] == "scales" and isinstance(path[1], int):
        try:
            return f"score {data['scales'][path[1]].get('code', path[1] + 1)}"
        except (KeyError, IndexError, AttributeError, TypeError):
            return f"score n°{path[1] + 1}"
    return ""


def option_score_range(item: dict) -> tuple[float, float] | None:
    """Lowest and highest score one item can give, before reversal (None if not scored)."""
    if item["type"] == "zero_to_ten":
        return (0, 10)
    if item["type"] not in SCORED_TYPES:
        return None
    scores = [o["score"] for o in item.get("options", []) if o.get("score") is not None]
    if not scores:
        return None
    if item["type"] == "multiple_choice":
        return (sum(s for s in scores if s < 0), sum(s for s in scores if s > 0))
    return (min(scores), max(scores))


def normalise(data: dict, *, file: str = "") -> dict:
    """Validate ``data`` against the schema and the rules the schema cannot say; fill defaults.

    Raises InstrumentDefinitionError with the file, the item and the reason.
    """
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise InstrumentDefinitionError(
            _french_reason(first), file=file, item=_item_of(first, data)
        )
    definition = copy.deepcopy(data)
    definition.setdefault("description", "")
    definition.setdefault("instructions", "")
    definition.setdefault("stem", "")
    definition.setdefault("short_title", definition["title"])
    seen = set()
    for item in definition["items"]:
        code = item["code"]
        if code in seen:
            raise InstrumentDefinitionError("code de question en double", file=file, item=code)
        seen.add(code)
        kind = item["type"]
        item.setdefault("help", "")
        item.setdefault("required", kind != "free_text")
        item.setdefault("reverse", False)
        if kind == "yes_partly_no":
            item.setdefault("options", copy.deepcopy(YES_PARTLY_NO))
        if kind in CHOICE_TYPES and "options" not in item:
            raise InstrumentDefinitionError(
                "une question à choix doit lister ses réponses (options)", file=file, item=code
            )
        if kind not in CHOICE_TYPES and "options" in item:
            raise InstrumentDefinitionError(
                f"une question de type {kind} n'a pas de liste de réponses", file=file, item=code
            )
        if kind == "free_text":
            item.setdefault("max_length", FREE_TEXT_MAX)
            if item["reverse"]:
                raise InstrumentDefinitionError(
                    "une réponse libre ne peut pas être inversée", file=file, item=code
                )
        elif "max_length" in item:
            raise InstrumentDefinitionError(
                "max_length ne vaut que pour une réponse libre", file=file, item=code
            )
        if kind == "zero_to_ten":
            item.setdefault("min_label", "")
            item.setdefault("max_label", "")
        if "options" in item:
            codes = [o["code"] for o in item["options"]]
            if len(set(codes)) != len(codes):
                raise InstrumentDefinitionError("code de réponse en double", file=file, item=code)
            for option in item["options"]:
                option.setdefault("score", None)
        if item["reverse"] and option_score_range(item) is None:
            raise InstrumentDefinitionError(
                "une question inversée doit avoir des réponses notées", file=file, item=code
            )
    items = {item["code"]: item for item in definition["items"]}
    definition.setdefault("scales", [])
    scale_codes = set()
    for scale in definition["scales"]:
        label = f"score {scale['code']}"
        if scale["code"] in scale_codes:
            raise InstrumentDefinitionError("code de score en double", file=file, item=label)
        scale_codes.add(scale["code"])
        for code in scale["items"]:
            if code not in items:
                raise InstrumentDefinitionError(
                    f"le score utilise une question inconnue « {code} »", file=file, item=label
                )
            if option_score_range(items[code]) is None:
                raise InstrumentDefinitionError(
                    f"la question « {code} » n'est pas notée et ne peut pas entrer dans un score",
                    file=file,
                    item=label,
                )
        scale.setdefault("multiply", 1)
        scale.setdefault("add", 0)
        scale.setdefault("unit", "")
        scale.setdefault("higher_is_better", True)
        scale.setdefault("bands", [])
        for band in scale["bands"]:
            band.setdefault("shown_to_person", True)
            if "max" in band and "below" in band:
                raise InstrumentDefinitionError(
                    f"la tranche « {band['code']} » a à la fois max et below",
                    file=file,
                    item=label,
                )
    return definition


def load_file(path: Path) -> dict:
    """Read and validate one YAML definition file."""
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark else ""
        raise InstrumentDefinitionError(f"YAML illisible{where}", file=name) from exc
    except UnicodeDecodeError as exc:
        raise InstrumentDefinitionError("le fichier n'est pas en UTF-8", file=name) from exc
    if not isinstance(data, dict):
        raise InstrumentDefinitionError("le fichier doit décrire un objet", file=name)
    return normalise(data, file=name)


def builtin_paths() -> list[Path]:
    return sorted(INSTRUMENTS_DIR.glob("*.yaml"))


@cache
def builtin_definitions() -> dict[str, dict]:
    """The built-in instruments, by code (read once per process)."""
    return {d["code"]: d for d in (load_file(p) for p in builtin_paths())}


def checksum(definition: dict) -> str:
    """A stable fingerprint of a definition: two files with the same content share it."""
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def items_by_code(definition: dict) -> dict[str, dict]:
    return {item["code"]: item for item in definition["items"]}
