"""The pool of anonymous answers: sealed sheets, and the batches that take them into the results
(entrepairs/evaluation/pool.py). The journey over HTTP and the insider's joins are in
test_unlinkability.py."""

import importlib
import re
import uuid
from datetime import date, timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from entrepairs.evaluation import pool
from entrepairs.evaluation.models import AnonymousResponse, Campaign, Invitation, PendingAnswer

from .factories import campaign
from .test_answering import SATISFACTION, answer_all

ANSWERS = {
    "understood": "yes",
    "confidence": "partly",
    "future": "no",
    "relatives": "yes",
    "overall": 7,
}


def sheets(c, n, facility=None, comment="", month=None):
    """Send n sheets of campaign c into the pool, each in its own transaction (as answers)."""
    facility_id = facility.pk if facility else None
    for _i in range(n):
        with transaction.atomic():
            answers = {**ANSWERS, "comment": f"{comment or 'commentaire'} {uuid.uuid4().hex}"}
            if month:
                sheet = {"answers": answers, "month": month.isoformat()}
                PendingAnswer.objects.create(
                    campaign=c, facility_id=facility_id, sealed=pool.seal(sheet, c.pk, facility_id)
                )
            else:
                pool.add_to_pool(c, facility_id, answers)


def close(c):
    Campaign.objects.filter(pk=c.pk).update(closed_at=timezone.now())


def test_a_pending_sheet_holds_no_time_and_no_link():
    fields = {f.name for f in PendingAnswer._meta.get_fields()}
    assert fields == {"id", "campaign", "facility", "sealed"}


def test_a_sheet_is_sealed_padded_and_bound_to_its_campaign(world):
    c = campaign(world)
    secret = f"Mon secret {uuid.uuid4().hex}"
    sheet = {"answers": {**ANSWERS, "comment": secret}, "month": "2025-03-01"}
    blob = pool.seal(sheet, c.pk, world.facility_a.pk)
    assert secret.encode() not in blob and b"understood" not in blob
    assert pool.unseal(blob, c.pk, world.facility_a.pk) == sheet
    assert blob != pool.seal(sheet, c.pk, world.facility_a.pk)  # a fresh nonce each time
    with pytest.raises(pool.SealError):
        pool.unseal(blob, c.pk + 1, world.facility_a.pk)  # moved to another campaign
    with pytest.raises(pool.SealError):
        pool.unseal(blob, c.pk, None)  # or to another facility
    # Short and long comments give sheets of the same length.
    short = pool.seal({"answers": {"comment": "ok"}, "month": "2025-03-01"}, c.pk, None)
    long = pool.seal({"answers": {"comment": "é" * 300}, "month": "2025-03-01"}, c.pk, None)
    assert len(short) == len(long) == 1 + pool.NONCE_BYTES + pool.PAD + 16


def test_an_old_key_still_opens_sheets_after_a_rotation(world, settings):
    old_key = django_settings.SECRET_KEY
    c = campaign(world)
    sheets(c, 1)
    close(c)
    settings.SECRET_KEY = "une-toute-nouvelle-cle-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = []
    counts = pool.flush_due_batches()
    assert (counts.answers, counts.unreadable) == (0, 1)
    assert PendingAnswer.objects.count() == 1  # kept, not lost
    settings.SECRET_KEY_FALLBACKS = [old_key]
    counts = pool.flush_due_batches()
    assert (counts.answers, counts.unreadable) == (1, 0)


def test_batches_while_the_campaign_runs_keep_k_sheets_behind(world, settings):
    settings.ANONYMOUS_BATCH_SIZE = 3
    c = campaign(world)
    sheets(c, 5)
    assert pool.flush_due_batches().answers == 0  # 5 < 2k: nothing yet
    sheets(c, 1)
    counts = pool.flush_due_batches()
    assert (counts.batches, counts.answers) == (1, 3)
    assert AnonymousResponse.objects.count() == 3 and PendingAnswer.objects.count() == 3
    sheets(c, 2)
    assert pool.flush_due_batches().answers == 0  # 5 waiting again
    close(c)
    assert pool.flush_due_batches().answers == 5  # the closing takes them all, never < k
    assert not PendingAnswer.objects.exists()
    assert AnonymousResponse.objects.count() == 8
    comments = {r.answers["comment"] for r in AnonymousResponse.objects.all()}
    assert len(comments) == 8
    row = AnonymousResponse.objects.first()
    assert row.scores["benefit"]["score"] is not None  # scored when written


def test_a_small_campaign_reaches_the_results_whole_at_its_closing(world, settings):
    settings.ANONYMOUS_BATCH_SIZE = 11
    c = campaign(world)
    sheets(c, 4)
    assert pool.flush_due_batches().answers == 0
    close(c)
    counts = pool.flush_due_batches()
    assert (counts.batches, counts.answers) == (1, 4)


def test_a_campaign_past_its_closing_date_is_written_by_the_nightly_command(world, settings):
    settings.ANONYMOUS_BATCH_SIZE = 11
    today = timezone.localdate()
    c = campaign(world, closes_on=today)
    sheets(c, 2)
    out = StringIO()
    call_command("flush_anonymous_answers", stdout=out)
    assert "0 lot(s)" in out.getvalue()  # still open today
    Campaign.objects.filter(pk=c.pk).update(closes_on=today - timedelta(days=1))
    out = StringIO()
    call_command("flush_anonymous_answers", stdout=out)
    assert "1 lot(s) versé(s) dans les résultats (2 réponse(s))" in out.getvalue()
    assert AnonymousResponse.objects.count() == 2


def test_groups_that_look_alike_once_stored_are_batched_apart(world, settings):
    """Answers of two facilities are told apart by their facility: each has its own batches."""
    from tests.factories import FacilityFactory

    settings.ANONYMOUS_BATCH_SIZE = 2
    c = campaign(world)
    other = FacilityFactory(name="CATTP Alpha", organisation=world.org_a)
    sheets(c, 4, facility=world.facility_a)
    sheets(c, 3, facility=other)
    counts = pool.flush_due_batches()
    assert (counts.batches, counts.answers) == (1, 2)
    assert set(AnonymousResponse.objects.values_list("facility", flat=True)) == {
        world.facility_a.pk
    }


def test_every_answer_of_a_batch_has_the_batch_month(world):
    c = campaign(world)
    sheets(c, 2, month=date(2025, 1, 1))
    sheets(c, 1, month=date(2025, 3, 1))
    close(c)
    pool.flush_due_batches()
    assert set(AnonymousResponse.objects.values_list("month", flat=True)) == {date(2025, 3, 1)}


def test_the_task_is_enqueued_after_the_commit_that_reaches_2k(
    world, client, settings, django_capture_on_commit_callbacks
):
    settings.ANONYMOUS_BATCH_SIZE = 1
    c = campaign(world)
    for expected_written in (0, 1):
        _inv, token = Invitation.issue(c, facility=world.facility_a, timepoint="once")
        with django_capture_on_commit_callbacks(execute=True):
            answer_all(client, reverse("evaluation:answer", args=[token]), SATISFACTION)
        # The immediate backend of the tests runs the task at once, after the commit.
        assert AnonymousResponse.objects.count() == expected_written
    assert PendingAnswer.objects.count() == 1


def test_campaign_page_says_how_many_answers_wait(world, settings):
    settings.ANONYMOUS_BATCH_SIZE = 11
    c = campaign(world)
    sheets(c, 3)
    page = world.client("coordinator_a").get(reverse("evaluation:campaign_detail", args=[c.pk]))
    text = page.content.decode()
    assert re.search(r'id="waiting-answers">\s*3\b', text)
    assert "par lots mélangés d'au moins 11" in text


# --- the migration that breaks the links left by the earlier code --------------------------


def test_migration_rewrites_old_answers_in_random_order_and_drops_session_drafts(world):
    migration = importlib.import_module(
        "entrepairs.evaluation.migrations.0004_unlink_stored_answers"
    )
    from django.apps import apps

    version = campaign(world).instrument_version
    for i in range(30):
        AnonymousResponse.objects.create(
            organisation=world.org_a,
            facility=world.facility_a,
            instrument_version=version,
            month=date(2025, 2, 1),
            answers={"comment": f"ancienne {i}"},
        )
    before = set(AnonymousResponse.objects.values_list("id", "answers__comment", "month"))
    sessions = {}
    for name, data in {
        "anonymous_draft": {"evaluation_drafts": {"abcd": {"understood": "yes"}}},
        "signed_in_draft": {"_auth_user_id": "1", "evaluation_drafts": {}},
        "signed_in": {"_auth_user_id": "1"},
    }.items():
        store = SessionStore()
        store.update(data)
        store.create()
        sessions[name] = store.session_key

    migration.rewrite_anonymous_answers(apps, None)
    migration.delete_sessions_with_drafts(apps, None)

    after = set(AnonymousResponse.objects.values_list("id", "answers__comment", "month"))
    assert after == before
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT answers FROM evaluation_anonymousresponse ORDER BY {order}"  # noqa: S608
        )
        physical = [row[0] for row in cursor.fetchall()]
    field = AnonymousResponse._meta.get_field("answers")
    stored = [field.from_db_value(a, None, connection)["comment"] for a in physical]
    assert stored != [f"ancienne {i}" for i in range(30)]
    left = set(Session.objects.values_list("session_key", flat=True))
    assert left == {sessions["signed_in"]}


def test_a_failed_task_keeps_no_answer_in_its_result(db, monkeypatch):
    from django.db import IntegrityError

    from entrepairs.evaluation.tasks import flush_anonymous_answers

    secret = f"Failing row contains ({uuid.uuid4().hex})"

    def refused():
        raise IntegrityError(secret)

    monkeypatch.setattr(pool, "flush_due_batches", refused)
    result = flush_anonymous_answers.enqueue()
    assert result.status == "FAILED"
    traceback = result.errors[0].traceback
    assert "FlushFailed" in traceback and "IntegrityError" in traceback
    assert secret not in traceback
