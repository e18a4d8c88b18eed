"""Plausibility rules for what people type or import: dates, durations, whole numbers, text.

One rule per kind of value, shared by every form (through ``core.forms.PlausibleFormMixin``)
and by the file imports (stays CSV, FHIR questionnaires), so that 0001-01-01, a 5,000-digit
number or a NUL byte get the same clear French message everywhere and never reach the database
(where they either crash a page for good or are refused by PostgreSQL).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST_DATE = datetime.date(1900, 1, 1)
YEARS_AHEAD = 10
"""How far ahead a planned date may be (a contract's end, a campaign's closing, a review)."""

INTEGER_RANGE = (-(2**31), 2**31 - 1)
"""What an integer column holds on PostgreSQL: a form never lets a larger number through."""

WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
"""Plain ASCII digits, short enough to be a number: ``"²".isdigit()`` is True, ``int("²")``
fails, and ``int()`` of 5,000 digits raises."""


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@deconstructible
class DateRule:
    """A date is plausible between ``earliest`` and today plus ``years_ahead`` years.

    ``years_ahead=0``: a date in the past (or today). The bounds are computed at each check,
    so that "today" is the day of the check.
    """

    def __init__(
        self,
        earliest: datetime.date = EARLIEST_DATE,
        years_ahead: int = YEARS_AHEAD,
        future_message=None,
    ):
        self.earliest, self.years_ahead = earliest, years_ahead
        self.future_message = future_message  # for a date in the past only: what to say

    def latest(self) -> datetime.date:
        return years_after(timezone.localdate(), self.years_ahead)

    def problem(self, day: datetime.date) -> str:
        """A French sentence saying why ``day`` is not plausible, or "" when it is."""
        if isinstance(day, datetime.datetime):
            day = day.date()
        latest = self.latest()
        if self.earliest <= day <= latest:
            return ""
        if self.years_ahead == 0 and day > latest:
            return str(self.future_message or _("La date ne peut pas être dans le futur."))
        if self.years_ahead == 0:
            return _("La date doit être comprise entre le %(earliest)s et aujourd'hui.") % {
                "earliest": date_format(self.earliest, "SHORT_DATE_FORMAT"),
            }
        return _("La date doit être comprise entre le %(earliest)s et le %(latest)s.") % {
            "earliest": date_format(self.earliest, "SHORT_DATE_FORMAT"),
            "latest": date_format(latest, "SHORT_DATE_FORMAT"),
        }

    def __call__(self, day):
        """Django validator: raises ValidationError for an implausible date."""
        if day is None:
            return
        problem = self.problem(day)
        if problem:
            raise ValidationError(problem, code="implausible_date")

    def __eq__(self, other):
        return isinstance(other, DateRule) and (
            self.earliest,
            self.years_ahead,
            self.future_message,
        ) == (other.earliest, other.years_ahead, other.future_message)


PLAUSIBLE_DATE = DateRule()
PAST_DATE = DateRule(years_ahead=0)


@deconstructible
class IntegerRange:
    """Django validator: a whole number an integer column can hold. Only the sides given are
    checked (a form field's own ``min_value`` or ``max_value`` already says the other)."""

    def __init__(self, low: int | None = INTEGER_RANGE[0], high: int | None = INTEGER_RANGE[1]):
        self.low, self.high = low, high

    def __call__(self, value):
        if value is None:
            return
        if self.high is not None and value > self.high:
            raise ValidationError(_("Ce nombre est trop grand."), code="too_large")
        if self.low is not None and value < self.low:
            raise ValidationError(_("Ce nombre est trop petit."), code="too_small")

    def __eq__(self, other):
        return isinstance(other, IntegerRange) and (self.low, self.high) == (other.low, other.high)


def whole_number(text, *, low: int = 0, high: int = INTEGER_RANGE[1]) -> int | None:
    """The number written in ``text`` (ASCII digits, surrounding spaces allowed) when it lies
    within ``low`` and ``high``; None otherwise. Never raises."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        value = text
    elif isinstance(text, str) and WHOLE_NUMBER.fullmatch(text.strip()):
        value = int(text.strip())
    else:
        return None
    return value if low <= value <= high else None


def has_nul(text) -> bool:
    """PostgreSQL refuses NUL in text and in JSON; no form, answer or import stores one."""
    return isinstance(text, str) and "\x00" in text
