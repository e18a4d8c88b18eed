"""An insider tries to tie anonymous answers back to their invitation, person or user.

Issue 9, point 2. The adversary holds the whole database (every column of every table, the
PostgreSQL system columns ``xmin`` and ``ctid``, the SQLite ``rowid``, the session table and
the task results) and every log record. Each test runs the real answering journey over HTTP,
then tries one join and fails if it links anything. The ground truth — which invitation gave
which answer — is known only to the test: each respondent writes a unique comment.
"""

import logging
import types
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from entrepairs.core.models import AccessEvent
from entrepairs.evaluation.models import (
    AnonymousResponse,
    Campaign,
    Invitation,
    PersonSpaceLink,
    token_hash,
)

from .factories import campaign, consenting_person, space_token
from .test_answering import SATISFACTION, answer_all

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CLIMATE = [
    ("role_clarity", "4"),
    ("dilution", "2"),
    ("confusion", "2"),
    ("added_value", "5"),
    ("training", "partly"),
    ("comment", ""),
]
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Respondent:
    invitation: Invitation
    token: str
    comment: str


@dataclass
class Scenario:
    survey: Campaign
    team_survey: Campaign
    respondents: list = field(default_factory=list)  # in the order they sent their answers
    team_token: str = ""
    abandoned_token: str = ""
    space_token: str = ""
    session_before: dict | None = None
    session_after: dict | None = None
    records: list = field(default_factory=list)

    @property
    def tokens(self):
        return [r.token for r in self.respondents] + [
            self.team_token,
            self.abandoned_token,
            self.space_token,
        ]

    def secrets(self):
        """Every value that would tie a row or a record to an invitation, if found there."""
        out = []
        for token in self.tokens:
            out += [token, token_hash(token), token_hash(token)[:16]]
        return out


def session_row(client):
    key = client.cookies["sessionid"].value
    row = Session.objects.filter(session_key=key).values().first()
    return {**row, "decoded": SessionStore().decode(row["session_data"])} if row else None


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def run_journey(world, settings, n, batch_size, *, close=True, pending_check=None):
    """n persons answer an anonymous campaign with the sheets they were given, one gives up
    half-way, a professional answers the team survey while signed in, a person opens their
    space; a used and an invented link are tried; then the coordination closes both campaigns
    and the task worker runs."""
    settings.TASKS = DB_TASKS
    settings.ANONYMOUS_BATCH_SIZE = batch_size
    coordinator = world.user("coordinator_a")
    survey = campaign(world)
    team_survey = campaign(world, code="climat-equipe")
    scenario = Scenario(survey, team_survey)
    capture = Capture()
    watched = [logging.getLogger(), logging.getLogger("django.server")]
    old_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    for logger in watched:
        logger.addHandler(capture)
    try:
        url_of = {}
        for i in range(n):
            inv, token = Invitation.issue(
                survey, created_by=coordinator, facility=world.facility_a, timepoint="once"
            )
            scenario.respondents.append(Respondent(inv, token, f"Réponse {i} {uuid.uuid4().hex}"))
            url_of[token] = reverse("evaluation:answer", args=[token])
        for r in scenario.respondents:
            answers = [*SATISFACTION[:-1], ("comment", r.comment)]
            answer_all(Client(), url_of[r.token], answers)
        _inv, scenario.abandoned_token = Invitation.issue(
            survey, created_by=coordinator, facility=world.facility_a, timepoint="once"
        )
        answer_all(
            Client(),
            reverse("evaluation:answer", args=[scenario.abandoned_token]),
            SATISFACTION[:3],
            finish=False,
        )
        _inv, scenario.team_token = Invitation.issue(
            team_survey, created_by=coordinator, facility=world.facility_a, timepoint="once"
        )
        professional = world.client("professional_a")
        professional.get(reverse("home:home"))
        scenario.session_before = session_row(professional)
        answer_all(professional, reverse("evaluation:answer", args=[scenario.team_token]), CLIMATE)
        scenario.session_after = session_row(professional)
        used = scenario.respondents[0].token
        assert Client().get(reverse("evaluation:answer", args=[used])).status_code == 410
        assert Client().get(reverse("evaluation:answer", args=["x" * 32])).status_code == 404
        person = consenting_person(world)
        scenario.space_token = space_token(world, person=person)
        assert (
            Client().get(reverse("evaluation:space", args=[scenario.space_token])).status_code
            == 200
        )
        if pending_check:
            pending_check(scenario)
        if close:
            for c in (survey, team_survey):
                close_url = reverse("evaluation:campaign_close", args=[c.pk])
                assert world.client("coordinator_a").post(close_url).status_code == 302
            call_command("db_worker", batch=True, startup_delay=False, reload=False)
    finally:
        for logger in watched:
            logger.removeHandler(capture)
        logging.getLogger().setLevel(old_level)
    scenario.records = capture.records
    return scenario


def comment_of(row_answers):
    return row_answers.get("comment")


def every_row():
    """(model, row as a dict) for every row of every table the project knows."""
    for model in apps.get_models():
        for row in model.objects.all().values():
            yield model, row


# --- (a) xmin: the transaction that wrote a row --------------------------------------------


@pytest.mark.postgres_only
def test_xmin_of_an_answer_is_never_the_xmin_of_an_invitation(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("xmin n'existe que sous PostgreSQL")
    run_journey(world, settings, n=25, batch_size=11)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM evaluation_anonymousresponse r "
            "JOIN evaluation_invitation i ON r.xmin = i.xmin"
        )
        assert cursor.fetchone()[0] == 0
        # Each transaction that wrote answers wrote a batch of at least k of them, all with
        # the same month: ordering batches by xmin says at most "one of these k".
        cursor.execute(
            "SELECT r.xmin::text, count(*), count(DISTINCT r.month) "
            "FROM evaluation_anonymousresponse r "
            "JOIN evaluation_instrumentversion v ON v.id = r.instrument_version_id "
            "WHERE v.audience = 'person' GROUP BY r.xmin::text"
        )
        batches = cursor.fetchall()
    assert sum(count for _x, count, _m in batches) == 25
    assert all(count >= 11 and months == 1 for _x, count, months in batches), batches


@pytest.mark.postgres_only
def test_rows_written_with_an_invitation_hold_no_readable_answer(world, settings):
    """While answers wait for their batch, the rows written in the transaction that used the
    invitation (same xmin) hold nothing readable of the answer."""
    if connection.vendor != "postgresql":
        pytest.skip("xmin n'existe que sous PostgreSQL")

    def check(scenario):
        comments = {r.comment for r in scenario.respondents}
        with connection.cursor() as cursor:
            for model in apps.get_models():
                if model is Invitation or model._meta.proxy or not model._meta.managed:
                    continue
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(
                    f"SELECT t.* FROM {table} t JOIN evaluation_invitation i "  # noqa: S608
                    "ON t.xmin = i.xmin WHERE i.is_used"
                )
                for row in cursor.fetchall():
                    flat = " ".join(
                        bytes(v).decode("latin-1") if isinstance(v, memoryview) else str(v)
                        for v in row
                    )
                    assert not any(c in flat for c in comments), model.__name__

    run_journey(world, settings, n=5, batch_size=11, close=False, pending_check=check)


# --- (b) physical order --------------------------------------------------------------------


def physical_order():
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT answers FROM evaluation_anonymousresponse ORDER BY {order}"  # noqa: S608
        )
        rows = cursor.fetchall()
    field_ = AnonymousResponse._meta.get_field("answers")
    return [field_.from_db_value(a, None, connection) for (a,) in rows]


def test_physical_order_of_answers_does_not_follow_their_arrival(world, settings):
    scenario = run_journey(world, settings, n=25, batch_size=11)
    arrival = {r.comment: i for i, r in enumerate(scenario.respondents)}
    stored = [arrival[a["comment"]] for a in physical_order() if a.get("comment") in arrival]
    assert sorted(stored) == list(range(25))
    # The insider's guess: the i-th row stored is the i-th invitation used.
    right = sum(1 for position, who in enumerate(stored) if position == who)
    assert right < 25 // 2, stored


# --- (c, d) sessions -----------------------------------------------------------------------


def test_no_session_row_of_an_anonymous_respondent(world, settings):
    before = set(Session.objects.values_list("session_key", flat=True))
    scenario = run_journey(world, settings, n=4, batch_size=2)
    for row in Session.objects.exclude(session_key__in=before).values():
        data = SessionStore().decode(row["session_data"])
        assert "_auth_user_id" in data, f"session d'un·e répondant·e anonyme : {data}"
    for row in Session.objects.values():
        decoded = str(SessionStore().decode(row["session_data"]))
        for secret in scenario.secrets():
            assert secret not in decoded
        for r in scenario.respondents:
            assert r.comment not in decoded


def test_signed_in_respondent_session_is_left_untouched(world, settings):
    scenario = run_journey(world, settings, n=2, batch_size=2)
    before, after = scenario.session_before, scenario.session_after
    assert before is not None
    assert after == before, "la session de la personne connectée a changé pendant sa réponse"
    assert not {k for k in after["decoded"] if "evaluation" in k}


# --- task results --------------------------------------------------------------------------


def test_task_results_carry_nothing_linkable(world, settings):
    from django_tasks_db.models import DBTaskResult

    scenario = run_journey(world, settings, n=6, batch_size=2)
    response_ids = {str(pk) for pk in AnonymousResponse.objects.values_list("pk", flat=True)}
    for row in DBTaskResult.objects.values():
        assert row["args_kwargs"] == {"args": [], "kwargs": {}}, row
        assert row["return_value"] is None, row
        flat = str(row)
        for secret in [*scenario.secrets(), *response_ids]:
            assert secret not in flat
        assert not any(r.comment in flat for r in scenario.respondents)


# --- (e) logs ------------------------------------------------------------------------------


def record_text(record):
    extras = {k: v for k, v in vars(record).items() if k not in ("msg", "args")}
    return " ".join([record.getMessage(), repr(record.args), repr(extras)])


def test_no_log_record_holds_a_token(world, settings):
    scenario = run_journey(world, settings, n=3, batch_size=2)
    assert any(r.name == "django.request" for r in scenario.records)  # 404 and 410 logged
    for record in scenario.records:
        text = record_text(record)
        for secret in scenario.secrets():
            assert secret not in text, f"{record.name}: {record.getMessage()}"


def test_runserver_access_log_holds_no_token():
    from django.core.servers.basehttp import WSGIRequestHandler

    token = uuid.uuid4().hex
    capture = Capture()
    logger = logging.getLogger("django.server")
    logger.addHandler(capture)
    try:
        handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
        handler.request = None
        handler.client_address = ("127.0.0.1", 5000)
        for line in (
            f"GET /evaluation/r/{token}/?q=2 HTTP/1.1",
            f"POST /evaluation/mon-espace/{token}/retirer/evaluation/ HTTP/1.1",
            f"GET /compte/connexion/code/?next=%2Fevaluation%2Fr%2F{token}%2F HTTP/1.1",
            f"GET /evaluation/r/{token}/qr.svg?token={token} HTTP/1.1",
        ):
            handler.requestline = line
            handler.log_request(200, 12)
        handler.requestline = f"GET /evaluation/r/{token}/ HTTP/1.1"
        handler.log_request(410, 12)
    finally:
        logger.removeHandler(capture)
    assert len(capture.records) == 5
    for record in capture.records:
        assert token not in record_text(record), record.getMessage()
        assert "[jeton]" in record.getMessage()  # still says which page was asked for


def test_gunicorn_access_log_holds_no_token(tmp_path):
    """The gunicorn configuration shipped at the root (read by gunicorn from the current
    directory) writes access lines without the token, in the path, query or referer."""
    from gunicorn.config import Config

    conf = ROOT / "gunicorn.conf.py"
    assert conf.exists(), "gunicorn.conf.py manque à la racine du projet"
    cfg = Config()
    namespace = {"__file__": str(conf), "__name__": "__config__"}
    exec(compile(conf.read_text(), str(conf), "exec"), namespace)  # noqa: S102 our own file
    for name, value in namespace.items():
        if name in cfg.settings:
            cfg.set(name, value)
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    logger = cfg.logger_class(cfg)
    token = uuid.uuid4().hex
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/evaluation/r/{token}/?q=6",
        "PATH_INFO": f"/evaluation/r/{token}/",
        "QUERY_STRING": "q=6",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_REFERER": f"https://entrepairs.example/evaluation/r/{token}/?q=5",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = types.SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = types.SimpleNamespace(
        headers=[("REFERER", environ["HTTP_REFERER"]), ("USER-AGENT", "Mozilla/5.0")]
    )
    logger.access(response, request, environ, timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = log_file.read_text()
    assert "POST /evaluation/r/" in line and "302" in line
    assert token not in line, line


# --- AccessEvent ---------------------------------------------------------------------------


def test_access_events_hold_no_token_and_no_answer(world, settings):
    scenario = run_journey(world, settings, n=3, batch_size=2)
    events = list(AccessEvent.objects.values())
    assert any("mon-espace" in e["path"] for e in events)  # the person's own visit
    response_ids = {str(pk) for pk in AnonymousResponse.objects.values_list("pk", flat=True)}
    for event in events:
        flat = str(event)
        for secret in [*scenario.secrets(), *response_ids]:
            assert secret not in flat, event
        assert event["object_type"] != "evaluation.anonymousresponse"


# --- every column of every table -----------------------------------------------------------


def test_no_table_but_the_answers_holds_an_answer_or_a_token(world, settings):
    scenario = run_journey(world, settings, n=4, batch_size=2)
    comments = {r.comment for r in scenario.respondents}
    stored = {comment_of(a) for a in AnonymousResponse.objects.values_list("answers", flat=True)}
    assert comments <= stored  # every answer reached the results once the campaign closed
    for model, row in every_row():
        flat = str(row)
        if model is Session:
            flat += str(SessionStore().decode(row["session_data"]))
        # An invitation (a space link) keeps the hash of its own token, and nothing else does.
        secrets = scenario.tokens if model in (Invitation, PersonSpaceLink) else scenario.secrets()
        for secret in secrets:
            assert secret not in flat, f"{model.__name__}: jeton ou hachage trouvé"
        if model is not AnonymousResponse:
            assert not any(c in flat for c in comments), f"{model.__name__}: réponse trouvée"


def token_urls():
    """Every URL of the project that takes a token, reversed with fresh random values: found
    from the URL configuration, so that a new token URL cannot escape the filter."""
    import secrets

    from django.urls import URLResolver, get_resolver
    from django.urls.converters import IntConverter

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                yield from walk(pattern.url_patterns, inner)
            elif "token" in getattr(pattern.pattern, "converters", {}):
                values = {
                    name: 1 if isinstance(conv, IntConverter) else secrets.token_urlsafe(24)
                    for name, conv in pattern.pattern.converters.items()
                }
                if "purpose" in values:
                    values["purpose"] = "evaluation"
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                secret = [v for k, v in values.items() if k in ("token", "uidb64")]
                yield reverse(name, kwargs=values), secret

    return list(walk(get_resolver().url_patterns, None))


def test_every_url_that_takes_a_token_is_redacted():
    from entrepairs.core.redaction import redact_tokens

    urls = token_urls()
    assert len(urls) >= 6  # answer, QR code, space (3 pages), password reset
    for url, secret in urls:
        for form in (
            url,
            f"https://h.example{url}?q=2",
            f"/compte/connexion/?next={quote(url, safe='')}",
        ):
            redacted = redact_tokens(form)
            assert "[jeton]" in redacted
            assert not any(s in redacted for s in secret), (form, redacted)
    assert redact_tokens("/evaluation/r/merci/") == "/evaluation/r/merci/"
    assert redact_tokens("/x/?token=abc&q=1") == "/x/?token=[jeton]&q=1"
