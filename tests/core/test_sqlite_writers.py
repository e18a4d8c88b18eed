"""The SQLite demo with several people at once: nobody gets "database is locked".

The attack (or just a busy demo): 3–4 people logging in at the same moment. The login, the
code step (django-otp reads the device, then writes its counter, in one transaction) and the
lockout log (django-axes reads the attempt, then writes it) are transactions that read and
then write; under SQLite's default DEFERRED mode two of them at once make one fail at once
with "database is locked", a 500. The test runs the real demo server (`manage.py runserver`,
threaded, development settings) on a file database and sends it concurrent writers.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django_otp.oath import totp

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "motdepasse-du-test-42"  # noqa: S105
WRITERS = 6
ROUNDS = 3
KEY = "3132333435363738393031323334353637383930"

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="le verrouillage concerne la démo SQLite"
)

SEED = f"""
from django_otp.plugins.otp_totp.models import TOTPDevice
from entrepairs.accounts.models import User
for n in range({WRITERS * ROUNDS}):
    user = User.objects.create_user(email=f"agent{{n}}@example.org", password={PASSWORD!r})
    TOTPDevice.objects.create(user=user, name="t", confirmed=True, key={KEY!r})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def demo_server(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }

    def manage(*args):
        subprocess.run(  # noqa: S603 fixed arguments
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )

    manage("migrate", "--noinput")
    manage("shell", "-c", SEED)
    port = free_port()
    log = open(tmp_path / "server.log", "w+")  # noqa: SIM115 closed below
    server = subprocess.Popen(  # noqa: S603 fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{base}/compte/connexion/", timeout=2)  # noqa: S310
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    yield base, log
    server.terminate()
    server.wait(timeout=10)
    log.close()


class Browser:
    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def open(self, path, data=None):
        if data is not None:
            data = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(f"{self.base}{path}", data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def post_form(self, path, fields):
        status, page = self.open(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, (path, status)
        return self.open(path, {"csrfmiddlewaretoken": token.group(1), **fields})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def writer(base, n, start, statuses):
    """One person: a failed login, the login, the code step, a reset request, logout."""
    start.wait()
    for round_ in range(ROUNDS):
        email = f"agent{n * ROUNDS + round_}@example.org"
        browser = Browser(base)
        steps = [
            ("/compte/connexion/", {"username": email, "password": "faux"}),
            ("/compte/connexion/", {"username": email, "password": PASSWORD}),
            ("/compte/connexion/code/", {"token": f"{totp(bytes.fromhex(KEY)):06d}"}),
            ("/compte/mot-de-passe/", {"email": email}),
        ]
        for path, fields in steps:
            status, _ = browser.post_form(path, fields)
            statuses.append((path, status))


def test_concurrent_writers_never_meet_a_locked_database(demo_server):
    base, log = demo_server
    start = threading.Barrier(WRITERS)
    statuses = []
    threads = [
        threading.Thread(target=writer, args=(base, n, start, statuses)) for n in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    log.seek(0)
    server_log = log.read()
    assert "database is locked" not in server_log, server_log[-3000:]
    errors = [(path, status) for path, status in statuses if status >= 500]
    assert not errors, errors
    assert len(statuses) == WRITERS * ROUNDS * 4
    # Every login and code step went through: 302 to the next step.
    logged_in = [s for p, s in statuses if p == "/compte/connexion/code/"]
    assert logged_in == [302] * WRITERS * ROUNDS
