"""Checking answers and scoring them: pure functions on a definition dict (see definitions.py).

Answers are a dict ``{item code: value}``: an option code (str) for scale, yes/partly/no and
single choice, an int 0–10, a list of option codes for multiple choice, a str for free text.
A missing item is simply absent.
"""

from entrepairs.core.validators import has_nul, whole_number

from .definitions import items_by_code, option_score_range


class AnswerError(ValueError):
    """An answer that the item cannot take. The message is French and names no other data."""


def clean_answer(item: dict, raw):
    """The answer to store for ``item``, or None when the person gave none.

    Raises AnswerError when ``raw`` is outside the item's scale.
    """
    kind = item["type"]
    if raw is None or raw == "" or raw == []:
        return None
    if kind in ("scale", "single_choice", "yes_partly_no"):
        codes = {o["code"] for o in item["options"]}
        if not isinstance(raw, str) or raw not in codes:
            raise AnswerError("Cette réponse n'est pas possible pour cette question.")
        return raw
    if kind == "zero_to_ten":
        # Plain digits only: "²" and "٣" are digits to str.isdigit(), not to int().
        value = whole_number(raw, low=0, high=10)
        if value is None:
            raise AnswerError("Choisissez un nombre entre 0 et 10.")
        return value
    if kind == "multiple_choice":
        if not isinstance(raw, str | list | tuple):
            raise AnswerError("Cette réponse n'est pas possible pour cette question.")
        values = [raw] if isinstance(raw, str) else list(raw)
        codes = [o["code"] for o in item["options"]]
        if any(not isinstance(v, str) or v not in codes for v in values):
            raise AnswerError("Cette réponse n'est pas possible pour cette question.")
        if len(set(values)) != len(values):
            raise AnswerError("Une même réponse a été choisie deux fois.")
        return [c for c in codes if c in values]  # definition order, stable
    if kind == "free_text":
        if not isinstance(raw, str):
            raise AnswerError("Cette réponse n'est pas possible pour cette question.")
        text = raw.strip()
        if has_nul(text):  # PostgreSQL refuses it in JSON: say so before it breaks the save
            raise AnswerError("Votre réponse contient un caractère non autorisé.")
        if len(text) > item["max_length"]:
            raise AnswerError(
                f"Votre réponse est trop longue ({item['max_length']} caractères au plus)."
            )
        return text or None
    raise AnswerError("Type de question inconnu.")


def clean_answers(definition: dict, raw_answers: dict, *, complete: bool = True) -> dict:
    """Check every answer; with ``complete``, every required item must be answered.

    Unknown item codes are refused. Returns the answers to store.
    """
    items = items_by_code(definition)
    unknown = set(raw_answers) - set(items)
    if unknown:
        raise AnswerError("Réponse à une question qui n'existe pas.")
    cleaned = {}
    for code, raw in raw_answers.items():
        value = clean_answer(items[code], raw)
        if value is not None:
            cleaned[code] = value
    if complete:
        missing = [c for c, item in items.items() if item["required"] and c not in cleaned]
        if missing:
            raise AnswerError("Il manque des réponses obligatoires.")
    return cleaned


def item_score(item: dict, value) -> float | None:
    """The score of one answer, reversed when the item says so; None if it is not scored."""
    span = option_score_range(item)
    if span is None or value is None:
        return None
    if item["type"] == "zero_to_ten":
        score = float(value)
    elif item["type"] == "multiple_choice":
        by_code = {o["code"]: o.get("score") for o in item["options"]}
        score = float(sum(by_code[c] or 0 for c in value))
    else:
        score = next((o.get("score") for o in item["options"] if o["code"] == value), None)
        if score is None:  # an unscored option such as "je ne sais pas"
            return None
        score = float(score)
    if item.get("reverse"):
        score = span[0] + span[1] - score
    return score


def band_for(scale: dict, score: float) -> dict | None:
    """The first band whose bound the score meets (bands go from the most to the least severe)."""
    for band in scale["bands"]:
        if "max" in band and score <= band["max"]:
            return band
        if "below" in band and score < band["below"]:
            return band
        if "max" not in band and "below" not in band:
            return band
    return None


def score_scale(definition: dict, scale: dict, answers: dict) -> dict | None:
    """Raw and transformed score of one (sub)scale; None when one of its items is missing."""
    items = items_by_code(definition)
    scores = []
    for code in scale["items"]:
        value = item_score(items[code], answers.get(code))
        if value is None:
            return None
        scores.append(value)
    raw = sum(scores) if scale["method"] == "sum" else sum(scores) / len(scores)
    score = round(raw * scale["multiply"] + scale["add"], 6)
    band = band_for(scale, score)
    return {
        "raw": round(raw, 6),
        "score": score,
        "band": band["code"] if band else "",
        "band_label": band["label"] if band else "",
        "band_shown_to_person": band["shown_to_person"] if band else True,
    }


def score_response(definition: dict, answers: dict) -> dict:
    """All the scales of an instrument: ``{scale code: result or None}``."""
    return {s["code"]: score_scale(definition, s, answers) for s in definition["scales"]}


def scale_range(definition: dict, scale: dict) -> tuple[float, float]:
    """Lowest and highest score the scale can give, after its linear transform."""
    items = items_by_code(definition)
    spans = [option_score_range(items[c]) for c in scale["items"]]
    low, high = sum(s[0] for s in spans), sum(s[1] for s in spans)
    if scale["method"] == "mean":
        low, high = low / len(spans), high / len(spans)
    ends = sorted([low * scale["multiply"] + scale["add"], high * scale["multiply"] + scale["add"]])
    return ends[0], ends[1]
