"""The rows every database ships with (migration 0003) come back after a flush, once only."""

import pytest

from entrepairs.workforce.defaults import EXAMPLE_GRID_STEPS, ensure_shipped_defaults
from entrepairs.workforce.models import CodeOfConduct, CompetencyFramework, SalaryGrid, SalaryStep

# The marker (not the bare ``db`` fixture) lets tests/conftest.py put the rows back after a
# live-server flush run earlier by the same worker.
pytestmark = pytest.mark.django_db


def shipped():
    return (
        SalaryGrid.objects.filter(is_example=True).count(),
        SalaryStep.objects.filter(grid__is_example=True).count(),
        CodeOfConduct.objects.filter(organisation__isnull=True).count(),
        CompetencyFramework.objects.filter(organisation__isnull=True).count(),
    )


def test_the_shipped_rows_are_there_and_a_second_call_adds_none():
    assert shipped() == (1, len(EXAMPLE_GRID_STEPS), 1, 1)
    ensure_shipped_defaults()
    assert shipped() == (1, len(EXAMPLE_GRID_STEPS), 1, 1)


def test_after_a_flush_they_come_back():
    """What ``manage.py flush`` then ``manage.py demo`` relies on (the demo calls it first)."""
    SalaryGrid.objects.filter(is_example=True).delete()
    CodeOfConduct.objects.filter(organisation__isnull=True).delete()
    CompetencyFramework.objects.filter(organisation__isnull=True).delete()
    assert shipped() == (0, 0, 0, 0)
    ensure_shipped_defaults()
    assert shipped() == (1, len(EXAMPLE_GRID_STEPS), 1, 1)
