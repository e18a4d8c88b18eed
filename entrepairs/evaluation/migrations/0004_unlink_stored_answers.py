"""Break the links left by the earlier answering code (issue 9, point 2).

1. Anonymous answers written before the pool existed were inserted in the transaction that
   used their invitation (same PostgreSQL ``xmin``) and in their order of arrival (``ctid``,
   SQLite ``rowid``). They are written again here, all in this migration's transaction and in
   a random order. Their month does not change. The old row versions stay in the table's
   pages until PostgreSQL vacuums them: run ``VACUUM FULL evaluation_anonymousresponse``
   after this migration (docs/evaluation.md).
2. Sessions that held anonymous drafts (``evaluation_drafts``, keyed by the token hash, with
   an expiry set from the moment of the answer) are deleted: their holders sign in again.
"""

import random

from django.conf import settings
from django.db import migrations

DRAFTS_KEY = "evaluation_drafts"


def rewrite_anonymous_answers(apps, schema_editor):
    Response = apps.get_model("evaluation", "AnonymousResponse")
    fields = ["id", "organisation_id", "facility_id", "instrument_version_id", "month"]
    rows = list(Response.objects.values(*fields, "answers", "scores"))
    if not rows:
        return
    random.SystemRandom().shuffle(rows)
    Response.objects.all().delete()
    Response.objects.bulk_create([Response(**row) for row in rows], batch_size=2000)


def delete_sessions_with_drafts(apps, schema_editor):
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    doomed = [
        key
        for key, data in Session.objects.values_list("session_key", "session_data").iterator()
        if DRAFTS_KEY in store.decode(data)
    ]
    for start in range(0, len(doomed), 500):
        Session.objects.filter(session_key__in=doomed[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0003_answer_pool"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(rewrite_anonymous_answers, migrations.RunPython.noop),
        migrations.RunPython(delete_sessions_with_drafts, migrations.RunPython.noop),
    ]
