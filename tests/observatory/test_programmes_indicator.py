"""Programmes by maturity: the status on the last day of each period, from the dated history,
summed up the levels and published as it is (a count of establishments)."""

import datetime

import pytest

from entrepairs.observatory import published, publishing
from entrepairs.observatory.periods import Period
from entrepairs.programmes.models import Status
from tests.programmes.factories import ProgrammeFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db


def _programme(history):
    programme = ProgrammeFactory()
    for status, day in history:
        StatusChangeFactory(programme=programme, status=status, effective_on=day)
    return programme


def test_programmes_are_counted_by_their_status_at_the_end_of_each_period():
    # Experimental all of 2024; pilot from July 2024; a third one only starts in 2025.
    _programme([(Status.EXPERIMENTAL, datetime.date(2023, 3, 1))])
    _programme(
        [
            (Status.EXPERIMENTAL, datetime.date(2023, 3, 1)),
            (Status.PILOT, datetime.date(2024, 7, 1)),
        ]
    )
    _programme([(Status.EXPERIMENTAL, datetime.date(2025, 2, 1))])
    publishing.publish(Period.year(2024), indicators=["programmes_maturite"])

    def nation(period):
        figures = published.cross("programmes_maturite", "nation", Period.parse(period))["FR"]
        return {code: f.value for code, f in figures.items()}

    assert nation("2024-T2") == {"": 2, "experimental": 2, "pilot": 0, "sustained": 0}
    assert nation("2024") == {"": 2, "experimental": 1, "pilot": 1, "sustained": 0}
