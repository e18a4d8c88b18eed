"""What every form of the project shares: the plausibility rules of ``core.validators``.

``PlausibleFormMixin`` is mixed into every form (``tests/core/test_plausibility.py`` fails when
one lacks it). Before a form validates, it gives each of its date fields the shared date rule
and each whole-number field the range of an integer column, whether the field was declared, made
from a model field or added in ``__init__``. Durations use ``DurationField``.
"""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .validators import INTEGER_RANGE, PLAUSIBLE_DATE, DateRule, IntegerRange

IMPLAUSIBLE_DATE_INPUT = _("Saisissez une date valide (jour, mois et année).")


class PlausibleFormMixin:
    """Dates, durations and numbers within plausible bounds, for every field of the form.

    ``date_rules = {"field": DateRule(...)}`` gives a field another rule than the default
    (from 1 January 1900 to ten years from today).
    """

    date_rules: dict = {}

    def full_clean(self):
        apply_plausibility(self.fields, self.date_rules)
        super().full_clean()


def apply_plausibility(fields: dict, rules: dict | None = None):
    """Add the shared rules to ``fields`` (once: the fields are the form instance's own)."""
    for name, field in fields.items():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            rule = (rules or {}).get(name, PLAUSIBLE_DATE)
            if not any(isinstance(v, DateRule) for v in field.validators):
                field.validators.append(rule)
            field.error_messages.setdefault("invalid", IMPLAUSIBLE_DATE_INPUT)
        elif isinstance(field, forms.IntegerField):
            low = INTEGER_RANGE[0] if field.min_value is None else None
            high = INTEGER_RANGE[1] if field.max_value is None else None
            already = any(isinstance(v, IntegerRange) for v in field.validators)
            if (low is not None or high is not None) and not already:
                field.validators.append(IntegerRange(low, high))


UNITS = {
    # unit: (singular, plural)
    "minutes": ("minute", "minutes"),
    "days": ("jour", "jours"),
    "weeks": ("semaine", "semaines"),
    "months": ("mois", "mois"),
}


def describe_duration(value: int, unit: str) -> str:
    """``720, "minutes"`` → "12 heures (720 minutes)"; ``15, "minutes"`` → "15 minutes"."""
    singular, plural = UNITS[unit]
    text = f"{value} {singular if value == 1 else plural}"
    if unit == "minutes" and value >= 60 and value % 60 == 0:
        hours = value // 60
        text = ngettext("%(n)s heure", "%(n)s heures", hours) % {"n": hours} + f" ({text})"
    return text


def _range_message(low: int, high: int, unit: str) -> str:
    return gettext("La durée doit être comprise entre %(low)s et %(high)s.") % {
        "low": describe_duration(low, unit),
        "high": describe_duration(high, unit),
    }


def _invalid_message(unit: str) -> str:
    return gettext("Saisissez la durée en %(unit)s (un nombre entier).") % {"unit": UNITS[unit][1]}


range_message, invalid_message = lazy(_range_message, str), lazy(_invalid_message, str)


class DurationField(forms.IntegerField):
    """A duration typed as a whole number of ``unit`` (minutes, days, weeks or months) between
    ``min_value`` and ``max_value``, with one French message for every mistake."""

    def __init__(self, *, unit: str = "minutes", min_value: int = 1, max_value: int, **kwargs):
        self.unit = unit
        out_of_range = range_message(min_value, max_value, unit)
        messages = {
            "min_value": out_of_range,
            "max_value": out_of_range,
            "invalid": invalid_message(unit),
        }
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
