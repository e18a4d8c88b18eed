"""A write that crosses a consent withdrawal is refused: the two take the same row lock.

Transactional (two connections), so in a file of its own: it runs with the other
transactional tests, after the others. PostgreSQL only: SQLite serialises every writer, and
the test is skipped there before any database is set up.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from entrepairs.accompaniment.models import Consent, Encounter, Person

from .test_consent_withdrawal import FROZEN, RECORD, Scene, text

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks: PostgreSQL only (SQLite serialises every writer)",
)


@pytest.mark.django_db(transaction=True)
def test_a_write_that_crosses_a_withdrawal_is_refused(world):
    """The page was checked before the withdrawal was committed; the write waits for it on
    the person's row lock, sees it, and saves nothing (PostgreSQL: SQLite has one writer)."""
    scene = Scene(world)
    person = Person.objects.get(pk=scene.person.pk)
    peer = scene.client("peer_a")
    assert peer.get(scene.url("accompaniment:encounter_create")).status_code == 200  # signed in
    locked, encounters = threading.Event(), Encounter.objects.count()

    def withdraw_slowly():
        try:
            with transaction.atomic():
                Consent.decide(person, RECORD, False, Consent.Means.ORAL)
                locked.set()
                time.sleep(3)  # the write below passes its first check and must wait
        finally:
            connection.close()

    thread = threading.Thread(target=withdraw_slowly)
    thread.start()
    assert locked.wait(10)
    response = peer.post(scene.url("accompaniment:encounter_create"), scene.encounter_data())
    thread.join()
    assert response.status_code == 403 and FROZEN in text(response)
    assert Encounter.objects.count() == encounters
