"""Two requests logging at once do not fork the chain (PostgreSQL, real connections)."""

import threading
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import RequestFactory

from entrepairs.core.audit import log_access
from entrepairs.core.chain import verify_chain
from entrepairs.core.models import AccessEvent, Action
from entrepairs.workforce.models import PeerWorker

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL seulement"),
    pytest.mark.django_db(transaction=True),
]


def a_request():
    request = RequestFactory().get("/une/page/")
    request.user = AnonymousUser()
    return request


def in_thread(target):
    """Run ``target`` in a thread of its own, with its own database connection."""
    result = {}

    def run():
        from django.db import connection as own

        try:
            result["value"] = target()
        except BaseException as error:  # noqa: BLE001 handed back to the test
            result["error"] = error
        finally:
            own.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_a_second_writer_waits_for_the_first_to_commit():
    """A logs inside a transaction that is still open; B logs meanwhile. Without the lock,
    B would read the head before A's event is committed and both would point at it."""
    logged, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            event = log_access(a_request(), Action.VIEW, model=PeerWorker, ids=[1])
            logged.set()
            assert release.wait(10)
        return event

    thread_a, result_a = in_thread(first)
    assert logged.wait(10)
    thread_b, result_b = in_thread(
        lambda: log_access(a_request(), Action.VIEW, model=PeerWorker, ids=[2])
    )
    time.sleep(0.5)
    b_waited = thread_b.is_alive()
    release.set()
    thread_a.join(10)
    thread_b.join(10)
    assert b_waited, "B did not wait for the chain's lock"
    a, b = result_a["value"], result_b["value"]
    assert b.previous_hash == a.hash and b.pk > a.pk
    assert verify_chain().ok


def test_many_writers_at_once_keep_one_chain():
    writers, each = 6, 15
    barrier = threading.Barrier(writers)

    def write():
        barrier.wait(10)
        for i in range(each):
            log_access(a_request(), Action.LIST, model=PeerWorker, ids=[i, i + 1])

    threads = [in_thread(write) for _ in range(writers)]
    for thread, _ in threads:
        thread.join(60)
    assert [result.get("error") for _, result in threads] == [None] * writers
    report = verify_chain()
    assert report.ok, [str(b) for b in report.breaks]
    assert report.checked == AccessEvent.objects.count() == writers * each
    previous = list(AccessEvent.objects.values_list("previous_hash", flat=True))
    assert len(set(previous)) == len(previous)  # no two events share a predecessor
