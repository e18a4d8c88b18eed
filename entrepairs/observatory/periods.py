"""Fixed calendar periods of the published figures: quarters and years. No rolling window, no
free date: a period is named by its kind and its first day, and only ended periods are
published."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

QUARTER = "quarter"
YEAR = "year"
KINDS = (QUARTER, YEAR)


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: datetime.date

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"période inconnue : {self.kind}")
        if self.start.day != 1 or (
            self.start.month not in (1, 4, 7, 10) if self.kind == QUARTER else self.start.month != 1
        ):
            raise ValueError("une période commence un 1er janvier, avril, juillet ou octobre")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(YEAR, datetime.date(year, 1, 1))

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        return cls(QUARTER, datetime.date(year, 3 * (number - 1) + 1, 1))

    @classmethod
    def parse(cls, code: str) -> Period:
        """``"2026"`` or ``"2026-T2"``; ValueError otherwise."""
        code = (code or "").strip().upper()
        try:
            if "-T" in code:
                year, number = code.split("-T")
                if int(number) not in (1, 2, 3, 4):
                    raise ValueError
                return cls.quarter(int(year), int(number))
            return cls.year(int(code))
        except (ValueError, OverflowError):
            raise ValueError(f"« {code[:12]} » n'est pas une période (2026 ou 2026-T2)") from None

    @property
    def end(self) -> datetime.date:
        """Last day, included."""
        if self.kind == YEAR:
            return datetime.date(self.start.year, 12, 31)
        month = self.start.month + 3
        year = self.start.year + (month > 12)
        return datetime.date(year, (month - 1) % 12 + 1, 1) - datetime.timedelta(days=1)

    @property
    def number(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def code(self) -> str:
        return str(self.start.year) if self.kind == YEAR else f"{self.start.year}-T{self.number}"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.number}{'er' if self.number == 1 else 'e'} trimestre {self.start.year}"

    def quarters(self) -> list[Period]:
        if self.kind == QUARTER:
            return [self]
        return [Period.quarter(self.start.year, n) for n in (1, 2, 3, 4)]

    def family(self) -> list[Period]:
        """The periods related to this one by sums: the year and its quarters."""
        year = Period.year(self.start.year)
        return [*year.quarters(), year]

    def is_over(self, today=None) -> bool:
        return self.end < (today or timezone.localdate())

    def __str__(self):
        return self.code


def ended_periods(first_year: int, today=None) -> list[Period]:
    """Every ended quarter and year from ``first_year`` on, oldest first (quarters of a year
    before the year itself)."""
    today = today or timezone.localdate()
    periods = []
    for year in range(first_year, today.year + 1):
        periods += [p for p in Period.year(year).family() if p.is_over(today)]
    return periods
