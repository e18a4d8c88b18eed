#!/usr/bin/env python3
"""`make bench`: HTTP benchmarks on PostgreSQL with realistic volumes.

Run through scripts/with_postgres.py (DATABASE_URL set). Steps:
1. migrate, import the real territory and SAE files, generate the `medium` demo
   (>= 200 peers, 20,000 persons, 300,000 encounters); BENCH_KEEP_DATA=1 skips this step
   when the database already holds them;
2. start gunicorn (config.settings.bench: DEBUG off, persistent connections) on loopback;
3. for each page, 8 concurrent clients, each logged in as a different peer (session + verified
   TOTP device written directly, as after a real login), request it for BENCH_SECONDS seconds.
   The load generator is wrk (C, Debian package) driven by scripts/bench_load.lua, so that
   the measuring client does not take the server's CPU as a Python client would;
4. print p50 / p95 / p99 per page and the SQL query count of one request, and write
   bench-results/latest.json. Target: p95 < 150 ms with 8 clients on 2 cores.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARMUP_SECONDS = 5
# One sync worker per core: measured on this 2-core machine, 2 workers serve more pages per
# second than 3, 4 or 6 (more processes only share the same cores and caches), and threads
# (gthread) add nothing. See docs/deploiement.md.
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
# The server runs on the distribution's Python when there is one (Debian builds it with
# profile-guided and link-time optimisation), as the deployment guide recommends; a Python
# compiled without them (pyenv's default) is about 15 % slower. BENCH_SERVER_PYTHON overrides.
DISTRIBUTION_PYTHON = "/usr/bin/python3.11"
SCALE = os.environ.get("BENCH_SCALE", "medium")
TARGET_P95_MS = 150


def manage(*args):
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)
    return time.monotonic() - started


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FormParser(HTMLParser):
    """Collect the default values of the first POST form of a page (what a person would send
    after accepting the sensible defaults), ticking the first checkbox of each group."""

    def __init__(self):
        super().__init__()
        self.fields, self.in_form, self.done, self.select, self.checkbox_groups = (
            [],
            False,
            False,
            None,
            set(),
        )
        self.textarea = None
        self.in_main = False  # the header's forms (logout, switcher) are not the page's form

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.in_main = True
        if (
            tag == "form"
            and self.in_main
            and a.get("method", "").lower() == "post"
            and not self.done
        ):
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a or (
                    kind == "checkbox"
                    and name not in self.checkbox_groups
                    and not name.startswith("note")
                ):
                    self.fields.append((name, a.get("value", "on")))
                    self.checkbox_groups.add(name)
            elif kind not in ("submit", "button", "file"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select = [name, None, None]
        elif tag == "option" and self.select:
            if self.select[2] is None:
                self.select[2] = a.get("value", "")
            if "selected" in a:
                self.select[1] = a.get("value", "")
        elif tag == "textarea" and name:
            self.fields.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            name, selected, first = self.select
            self.fields.append((name, selected if selected is not None else first or ""))
            self.select = None
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def prepare():
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django_otp import DEVICE_ID_SESSION_KEY

    from entrepairs.accompaniment.models import Person
    from entrepairs.workforce.models import PeerWorker

    # A production database is vacuumed and analysed by autovacuum; right after a bulk load of
    # 300,000 rows the statistics and the visibility map are not there yet, and the planner
    # would scan whole tables or visit the heap for index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    peers = list(
        PeerWorker.objects.filter(user__isnull=False, accompaniments__isnull=False)
        .select_related("user")
        .distinct()
        .order_by("pk")[:CLIENTS]
    )
    sessions = []
    for peer in peers:
        device = peer.user.totpdevice_set.filter(confirmed=True).first()
        store = SessionStore()
        store[SESSION_KEY] = str(peer.user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = peer.user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store.create()
        person = Person.objects.filter(accompaniments__peers=peer).order_by("pk").first()
        sessions.append({"cookie": store.session_key, "person": person.pk, "user": peer.user.email})
    counts = {
        "peers": PeerWorker.objects.count(),
        "persons": Person.objects.count(),
        "encounters": __import__(
            "entrepairs.accompaniment.models", fromlist=["Encounter"]
        ).Encounter.objects.count(),
    }
    connection.close()
    return sessions, counts, settings.SESSION_COOKIE_NAME


def server_python() -> str:
    """The interpreter gunicorn runs on: BENCH_SERVER_PYTHON, else a virtualenv of the
    distribution's Python with the locked dependencies (var/bench-venv), else this one."""
    chosen = os.environ.get("BENCH_SERVER_PYTHON")
    if chosen:
        return chosen
    if not os.path.exists(DISTRIBUTION_PYTHON):
        return sys.executable
    venv = ROOT / "var" / "bench-venv"
    uv = str(Path(sys.executable).with_name("uv"))
    if not (venv / "bin" / "python").exists():
        subprocess.run(
            [uv, "venv", "--quiet", "--python", DISTRIBUTION_PYTHON, str(venv)], check=True
        )
    subprocess.run(
        [uv, "sync", "--frozen", "--inexact", "--no-dev", "--quiet"],
        cwd=ROOT,
        env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv)},
        check=True,
    )
    return str(venv / "bin" / "python")


def ensure_wrk():
    """wrk (Debian package) is the load generator: written in C, it leaves the two cores to the
    server, as real users' browsers would."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk absent : installation du paquet Debian wrk…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env).returncode:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=False)
    if not shutil.which("wrk"):
        sys.exit("ERREUR : wrk est introuvable (paquet Debian « wrk »).")
    return shutil.which("wrk")


def http_get(base, path, cookies):
    request = urllib.request.Request(
        base + path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return response.read().decode()


def encounter_post(base, cookie_name, session, path):
    """The body a peer sends after accepting the form's sensible defaults, with its cookies
    (session and CSRF). The same CSRF token stays valid for every POST of the session."""
    cookies = {cookie_name: session["cookie"]}
    parser = FormParser()
    parser.feed(http_get(base, path, cookies))
    fields = [
        (k, v) for k, v in parser.fields if not k.startswith("note") or k == "note_visibility"
    ]
    return cookies, urllib.parse.urlencode(fields)


def cookie_header(cookies):
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def run_wrk(wrk, base, lines, seconds):
    """One wrk run: one thread and one connection per client line; returns wrk's figures."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        handle.write("\n".join("\t".join(line) for line in lines) + "\n")
    try:
        completed = subprocess.run(
            [
                wrk,
                f"-t{len(lines)}",
                f"-c{len(lines)}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(ROOT / "scripts" / "bench_load.lua"),
                base,
                "--",
                handle.name,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(handle.name)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line.removeprefix("BENCH_RESULT "))
    raise RuntimeError("wrk n'a pas donné de résultat :\n" + completed.stdout + completed.stderr)


def queries_of_one_request(path, session, cookie_name):
    """SQL statements of one request, counted in-process on the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[cookie_name] = session["cookie"]
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def page_requests(base, cookie_name, sessions):
    """For each page, one request line per client (each client is a different peer)."""
    from django.urls import reverse

    pages = {
        "Mes personnes (GET)": [],
        "Fiche d'une personne (GET)": [],
        "Mon activité (GET)": [],
        "Enregistrer une rencontre (POST)": [],
    }
    for session in sessions:
        cookie = cookie_header({cookie_name: session["cookie"]})
        person = session["person"]
        pages["Mes personnes (GET)"].append(
            ("GET", reverse("accompaniment:person_list"), cookie, "")
        )
        pages["Fiche d'une personne (GET)"].append(
            ("GET", reverse("accompaniment:person_detail", args=[person]), cookie, "")
        )
        pages["Mon activité (GET)"].append(("GET", reverse("observatory:my_activity"), cookie, ""))
        form = reverse("accompaniment:encounter_create", args=[person])
        cookies, body = encounter_post(base, cookie_name, session, form)
        pages["Enregistrer une rencontre (POST)"].append(
            ("POST", form, cookie_header(cookies), body)
        )
    return pages


def main():
    wrk = ensure_wrk()
    timings = {"migrate": manage("migrate", "--noinput", "-v0")}
    if not os.environ.get("BENCH_KEEP_DATA"):
        timings["import_territory"] = manage("import_territory")
        timings["import_sae"] = manage("import_sae")
        timings[f"demo --scale {SCALE}"] = manage("demo", "--scale", SCALE, "--seed", "7")
    sessions, counts, cookie_name = prepare()
    print(f"Volumes : {counts}", flush=True)
    port = free_port()
    python = server_python()
    python_version = subprocess.run(
        [python, "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(WORKERS),
            "--env",
            "DJANGO_SETTINGS_MODULE=config.settings.bench",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"},
    )
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/compte/connexion/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        pages = page_requests(base, cookie_name, sessions)
        for name, lines in pages.items():
            # Warm-up, not measured: every worker loads its templates and opens its connection.
            run_wrk(wrk, base, lines, WARMUP_SECONDS)
            results[name] = run_wrk(wrk, base, lines, SECONDS)
            results[name]["sql_queries"] = (
                queries_of_one_request(lines[0][1], sessions[0], cookie_name)
                if lines[0][0] == "GET"
                else None
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"\n{len(sessions)} clients concurrents (wrk, une connexion par pair-aidant·e), "
        f"{SECONDS} s par page, gunicorn {WORKERS} workers, Python {python_version} ({python})"
    )
    print(f"{'page':<36}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'SQL':>5}")
    ok = True
    for name, figures in results.items():
        flag = "" if figures["p95_ms"] < TARGET_P95_MS else "  > cible 150 ms"
        ok = ok and figures["p95_ms"] < TARGET_P95_MS
        if figures["errors"] or figures["unexpected_status"]:
            ok = False
            flag += (
                f"  ERREURS {figures['errors']} / statuts inattendus {figures['unexpected_status']}"
            )
        sql = "" if figures["sql_queries"] is None else figures["sql_queries"]
        print(
            f"{name:<36}{figures['requests']:>7}{figures['p50_ms']:>9.1f}"
            f"{figures['p95_ms']:>9.1f}{figures['p99_ms']:>9.1f}{sql:>5}{flag}"
        )
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps(
            {
                "clients": len(sessions),
                "seconds_per_page": SECONDS,
                "gunicorn_workers": WORKERS,
                "server_python": f"{python_version} ({python})",
                "volumes": counts,
                "setup_seconds": {k: round(v, 1) for k, v in timings.items()},
                "pages": results,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nPréparation (s) : { {k: round(v, 1) for k, v in timings.items()} }")
    print("Cible p95 < 150 ms :", "atteinte" if ok else "NON atteinte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
