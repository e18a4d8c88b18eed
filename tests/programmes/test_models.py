import datetime

import pytest
from django.db import IntegrityError, transaction

from entrepairs.programmes.models import Programme, Status
from tests.programmes.factories import FundingFactory, ProgrammeFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db


def _history():
    programme = ProgrammeFactory()
    StatusChangeFactory(
        programme=programme, status=Status.EXPERIMENTAL, effective_on=datetime.date(2023, 1, 1)
    )
    StatusChangeFactory(
        programme=programme, status=Status.PILOT, effective_on=datetime.date(2024, 7, 1)
    )
    StatusChangeFactory(
        programme=programme, status=Status.SUSTAINED, effective_on=datetime.date(2025, 3, 15)
    )
    return programme


def test_status_on_follows_the_dated_history():
    programme = _history()
    assert programme.status_on(datetime.date(2022, 12, 31)) is None
    assert programme.status_on(datetime.date(2023, 1, 1)) == Status.EXPERIMENTAL
    assert programme.status_on(datetime.date(2024, 6, 30)) == Status.EXPERIMENTAL
    assert programme.status_on(datetime.date(2024, 7, 1)) == Status.PILOT
    assert programme.status_on(datetime.date(2025, 3, 14)) == Status.PILOT
    assert programme.status_on(datetime.date(2030, 1, 1)) == Status.SUSTAINED


def test_a_programme_can_go_back_to_experimental():
    programme = _history()
    StatusChangeFactory(
        programme=programme, status=Status.EXPERIMENTAL, effective_on=datetime.date(2026, 1, 1)
    )
    assert programme.status_on(datetime.date(2026, 6, 1)) == Status.EXPERIMENTAL
    assert programme.status_on(datetime.date(2025, 12, 31)) == Status.SUSTAINED


def test_with_status_on_annotates_in_one_query(django_assert_num_queries):
    first = _history()
    second = ProgrammeFactory()
    StatusChangeFactory(
        programme=second, status=Status.PILOT, effective_on=datetime.date(2024, 1, 1)
    )
    with django_assert_num_queries(1):
        rows = dict(
            Programme.objects.with_status_on(datetime.date(2024, 12, 31)).values_list(
                "pk", "status_at"
            )
        )
    assert rows == {first.pk: Status.PILOT, second.pk: Status.PILOT}
    rows = dict(
        Programme.objects.with_status_on(datetime.date(2023, 6, 1)).values_list("pk", "status_at")
    )
    assert rows == {first.pk: Status.EXPERIMENTAL, second.pk: None}


def test_database_refuses_a_funding_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingFactory(starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2024, 1, 1))


@pytest.mark.parametrize("amount", [0, -5, 10_000_001])
def test_database_refuses_an_implausible_amount(amount):
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingFactory(amount=amount)


def test_one_status_change_per_day():
    change = StatusChangeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChangeFactory(
            programme=change.programme, effective_on=change.effective_on, status=Status.PILOT
        )


def test_fundings_ending_soon():
    programme = ProgrammeFactory()
    today = datetime.date(2026, 1, 1)
    soon = FundingFactory(programme=programme, ends_on=datetime.date(2026, 3, 1))
    FundingFactory(programme=programme, ends_on=datetime.date(2027, 6, 1))
    FundingFactory(programme=programme, ends_on=datetime.date(2025, 6, 1))
    FundingFactory(programme=programme, ends_on=None)
    assert list(programme.fundings_ending_soon(today)) == [soon]
