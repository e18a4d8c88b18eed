"""FHIR export and import of instruments (Questionnaire) and answers (QuestionnaireResponse).

FHIR R4B (``fhir.resources.R4B``): R4 is what French health information systems exchange
today (ANS frameworks are R4), and R4B is wire-compatible with R4 for these two resources.
Every resource we emit is parsed back by ``fhir.resources`` before it leaves.

What FHIR expresses natively (text, choice options, weights, required, repeats, min/max,
maxLength, copyright) is written natively; what it does not (scoring rules, reversed items,
audience, validated flag) goes into extensions under ``EXT``, so that a re-import gives the
identical definition. A Questionnaire from elsewhere, without our extensions, imports as an
instrument without scores, marked "not validated" until someone says otherwise.

An imported file is untrusted: before anything else reads it, ``load_json`` refuses nesting
deeper than ``MAX_DEPTH`` (Python's recursion limit is about 1,000), NUL characters (PostgreSQL
cannot store them) and numbers that are not finite or beyond ``MAX_NUMBER``. Every problem is an
``InstrumentDefinitionError`` with a French reason, which the import page shows.
"""

import json
import math
import re
import unicodedata

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from entrepairs.core.validators import has_nul

from .definitions import InstrumentDefinitionError, normalise

EXT = "https://entrepairs.fr/fhir/StructureDefinition/"
BASE_URL = "https://entrepairs.fr/fhir/Questionnaire/"
IDENTIFIER_SYSTEM = "https://entrepairs.fr/fhir/instrument-code"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
CHOICE_KINDS = {"scale", "yes_partly_no", "single_choice"}
MAX_DEPTH = 40  # a Questionnaire with groups three levels deep is about 15 levels of JSON
MAX_NUMBER = 10**9


def _refuse_constant(name):
    raise InstrumentDefinitionError(f"valeur « {name} » non permise dans un fichier JSON")


def load_json(payload, what: str = "le fichier"):
    """Parse untrusted JSON (text, bytes or an already parsed value) and check it is plausible."""
    if isinstance(payload, str | bytes | bytearray):
        try:
            data = json.loads(payload, parse_constant=_refuse_constant)
        except RecursionError as exc:
            raise InstrumentDefinitionError(f"{what} est imbriqué trop profondément") from exc
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            raise InstrumentDefinitionError(f"{what} n'est pas du JSON lisible") from exc
    else:
        data = payload
    check_json(data, what)
    return data


def check_json(data, what: str = "le fichier"):
    """Depth, NUL characters and numbers of a parsed JSON value, without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InstrumentDefinitionError(
                f"{what} est imbriqué trop profondément ({MAX_DEPTH} niveaux au plus)"
            )
        if isinstance(value, dict):
            if any(has_nul(key) for key in value):
                raise InstrumentDefinitionError(f"{what} contient un caractère nul")
            stack.extend((inner, depth + 1) for inner in value.values())
        elif isinstance(value, list):
            stack.extend((inner, depth + 1) for inner in value)
        elif isinstance(value, str):
            if has_nul(value):
                raise InstrumentDefinitionError(f"{what} contient un caractère nul")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                raise InstrumentDefinitionError(f"{what} contient un nombre hors limites")


def _ext(name: str, kind: str, value) -> dict:
    return {"url": EXT + name, f"value{kind}": value}


def _ext_value(extensions, name: str, default=None):
    for ext in extensions or []:
        if ext.get("url") == EXT + name or ext.get("url") == name:
            for key, value in ext.items():
                if key.startswith("value"):
                    return value
    return default


def _number(value):
    """Scores as JSON numbers: 2 stays 2, 6.25 stays 6.25."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InstrumentDefinitionError("le score d'une réponse doit être un nombre")
    return int(value) if float(value).is_integer() else float(value)


def _item_to_fhir(item: dict) -> dict:
    out = {"linkId": item["code"], "text": item["text"], "required": item["required"]}
    extensions = [_ext("item-kind", "Code", item["type"])]
    if item["reverse"]:
        extensions.append(_ext("reverse-scored", "Boolean", True))
    if item["help"]:
        extensions.append(_ext("help-text", "String", item["help"]))
    kind = item["type"]
    if kind in CHOICE_KINDS or kind == "multiple_choice":
        out["type"] = "choice"
        if kind == "multiple_choice":
            out["repeats"] = True
        out["answerOption"] = []
        for option in item["options"]:
            entry = {"valueCoding": {"code": option["code"], "display": option["label"]}}
            if option["score"] is not None:
                entry["extension"] = [{"url": ORDINAL, "valueDecimal": option["score"]}]
            out["answerOption"].append(entry)
    elif kind == "zero_to_ten":
        out["type"] = "integer"
        extensions += [
            {"url": MIN_VALUE, "valueInteger": 0},
            {"url": MAX_VALUE, "valueInteger": 10},
        ]
        if item["min_label"]:
            extensions.append(_ext("min-label", "String", item["min_label"]))
        if item["max_label"]:
            extensions.append(_ext("max-label", "String", item["max_label"]))
    else:
        out["type"] = "string"
        out["maxLength"] = item["max_length"]
    out["extension"] = extensions
    return out


def to_questionnaire(definition: dict) -> dict:
    """The instrument as a FHIR Questionnaire (a dict ready for json.dumps)."""
    resource = {
        "resourceType": "Questionnaire",
        "url": BASE_URL + definition["code"],
        "identifier": [{"system": IDENTIFIER_SYSTEM, "value": definition["code"]}],
        "version": definition["version"],
        "title": definition["title"],
        "status": "active",
        "publisher": "Entre Pairs",
        "copyright": definition["licence"],
        "extension": [
            _ext("short-title", "String", definition["short_title"]),
            _ext("audience", "Code", definition["audience"]),
            _ext("validated", "Boolean", definition["validated"]),
            _ext("source", "String", definition["source"]),
            _ext("scoring", "String", json.dumps(definition["scales"], ensure_ascii=False)),
        ],
        "item": [_item_to_fhir(item) for item in definition["items"]],
    }
    if definition["description"]:
        resource["description"] = definition["description"]
    if definition["instructions"]:
        resource["extension"].append(_ext("instructions", "String", definition["instructions"]))
    if definition["stem"]:
        resource["extension"].append(_ext("stem", "String", definition["stem"]))
    return Questionnaire.model_validate(resource).model_dump(mode="json", exclude_none=True)


def _flatten(items):
    for item in items or []:
        if item.get("type") == "group":
            yield from _flatten(item.get("item"))
        else:
            yield item


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return (slug or "questionnaire")[:40]


def _item_from_fhir(fhir_item: dict) -> dict | None:
    extensions = fhir_item.get("extension")
    fhir_type = fhir_item.get("type")
    if fhir_type == "display":
        return None
    code = re.sub(r"[^a-z0-9_]", "_", str(fhir_item.get("linkId", "")).lower())[:40]
    item = {
        "code": code,
        "text": fhir_item.get("text", ""),
        "required": bool(fhir_item.get("required", False)),
    }
    kind = _ext_value(extensions, "item-kind")
    if fhir_type in ("choice", "open-choice"):
        kind = kind or ("multiple_choice" if fhir_item.get("repeats") else "single_choice")
        item["options"] = []
        for option in fhir_item.get("answerOption", []):
            coding = option.get("valueCoding") or {}
            code_value = coding.get("code") or option.get("valueString")
            label = coding.get("display") or option.get("valueString") or code_value
            if code_value is None:
                continue
            score = _ext_value(option.get("extension"), ORDINAL)
            item["options"].append(
                {
                    "code": str(code_value),
                    "label": label,
                    "score": None if score is None else _number(score),
                }
            )
    elif fhir_type == "integer" and kind == "zero_to_ten":
        item["min_label"] = _ext_value(extensions, "min-label", "")
        item["max_label"] = _ext_value(extensions, "max-label", "")
    elif fhir_type in ("string", "text"):
        kind = "free_text"
        item["max_length"] = fhir_item.get("maxLength") or 300
    else:
        raise InstrumentDefinitionError(
            f"type de question FHIR « {fhir_type} » non pris en charge", item=code
        )
    item["type"] = kind
    item["reverse"] = bool(_ext_value(extensions, "reverse-scored", False))
    item["help"] = _ext_value(extensions, "help-text", "")
    return item


def parse_questionnaire(payload) -> dict:
    """Check ``payload`` (JSON text or dict) is a FHIR Questionnaire; return it as a dict."""
    data = load_json(payload)
    if not isinstance(data, dict) or data.get("resourceType") != "Questionnaire":
        raise InstrumentDefinitionError("le fichier n'est pas une ressource FHIR Questionnaire")
    try:
        return Questionnaire.model_validate(data).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise InstrumentDefinitionError(f"Questionnaire FHIR invalide ({where})") from exc


def from_questionnaire(payload) -> dict:
    """A normalised instrument definition from a FHIR Questionnaire (JSON text or dict)."""
    data = parse_questionnaire(payload)
    extensions = data.get("extension")
    code = next(
        (
            i.get("value")
            for i in data.get("identifier", [])
            if i.get("system") == IDENTIFIER_SYSTEM
        ),
        None,
    ) or _slug(data.get("name") or data.get("title") or "")
    scoring = _ext_value(extensions, "scoring")
    if scoring not in (None, "") and not isinstance(scoring, str):
        raise InstrumentDefinitionError("l'extension « scoring » doit être un texte JSON")
    title = data.get("title") or data.get("name") or code
    definition = {
        "code": code,
        "version": data.get("version") or "1",
        "title": title,
        "short_title": _ext_value(extensions, "short-title", title[:80]),
        "description": data.get("description", ""),
        "instructions": _ext_value(extensions, "instructions", ""),
        "stem": _ext_value(extensions, "stem", ""),
        "audience": _ext_value(extensions, "audience", "person"),
        "validated": bool(_ext_value(extensions, "validated", False)),
        "licence": data.get("copyright") or "Licence non précisée : vérifiez vos droits.",
        "source": _ext_value(extensions, "source", data.get("publisher") or "Import FHIR"),
        "items": [i for i in (_item_from_fhir(x) for x in _flatten(data.get("item"))) if i],
        "scales": load_json(scoring, "l'extension « scoring »") if scoring else [],
    }
    return normalise(definition, file="Questionnaire FHIR")


def to_questionnaire_response(definition: dict, answers: dict, authored: str) -> dict:
    """Answers as a FHIR QuestionnaireResponse without any subject.

    ``authored`` is a FHIR date; anonymous answers give only the month ("2026-03").
    """
    items = []
    for item in definition["items"]:
        if item["code"] not in answers:
            continue
        value = answers[item["code"]]
        labels = {o["code"]: o["label"] for o in item.get("options", [])}
        if item["type"] == "zero_to_ten":
            answer = [{"valueInteger": value}]
        elif item["type"] == "free_text":
            answer = [{"valueString": value}]
        else:
            codes = value if isinstance(value, list) else [value]
            answer = [{"valueCoding": {"code": c, "display": labels[c]}} for c in codes]
        items.append({"linkId": item["code"], "text": item["text"], "answer": answer})
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{BASE_URL}{definition['code']}|{definition['version']}",
        "status": "completed",
        "authored": authored,
        "item": items,
    }
    return QuestionnaireResponse.model_validate(resource).model_dump(mode="json", exclude_none=True)


def answers_from_response(definition: dict, payload: dict) -> dict:
    """The answers dict of a QuestionnaireResponse (the inverse of the export)."""
    response = QuestionnaireResponse.model_validate(payload).model_dump(
        mode="json", exclude_none=True
    )
    kinds = {item["code"]: item["type"] for item in definition["items"]}
    answers = {}
    for item in response.get("item", []):
        values = item.get("answer", [])
        kind = kinds.get(item["linkId"])
        if kind == "zero_to_ten":
            answers[item["linkId"]] = values[0]["valueInteger"]
        elif kind == "free_text":
            answers[item["linkId"]] = values[0]["valueString"]
        elif kind == "multiple_choice":
            answers[item["linkId"]] = [v["valueCoding"]["code"] for v in values]
        elif kind:
            answers[item["linkId"]] = values[0]["valueCoding"]["code"]
    return answers


def responses_bundle(resources: list[dict]) -> dict:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)
