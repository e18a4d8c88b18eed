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

BENCH_SCALE=national (docs/architecture.md, "Volume national"): the `small` demo topped up
with COPY to 3,000 peers, 300,000 persons and 6 million encounters (scripts/bench_national.py);
it also measures the national and regional pages (as the demo's observers), the refresh of
the published tables, and, as floors in the same run, a bare Django view behind the same
middleware (config/urls_bench.py) and the hand-written SQL of the national table, each with
the same 8 clients; it counts each page's SQL queries before and after the load (they must
not change) and prints every figure with its target and ratio.
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
NATIONAL = SCALE == "national"
TARGET_P95_MS = 150
# BENCH_SCALE=national targets (issue 10, point 9).
TARGET_DASHBOARD_P95_MS = 300
TARGET_DASHBOARD_SQL_RATIO = 2
TARGET_PEER_BARE_RATIO = 3
TARGET_REFRESH_SECONDS = 600
PEER_PAGES = (
    "Mes personnes (GET)",
    "Fiche d'une personne (GET)",
    "Mon activité (GET)",
    "Enregistrer une rencontre (POST)",
)
BARE_PAGE = "Plancher : vue Django nue (GET)"
SQL_FLOOR = "Plancher : SQL du tableau national"
FAILED = {
    "requests": 0,
    "p50_ms": float("nan"),
    "p95_ms": float("nan"),
    "p99_ms": float("nan"),
    "errors": 1,
    "unexpected_status": 0,
}


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
        .order_by("pk")[: CLIENTS * 3]
    )

    def session_of(user):
        device = user.totpdevice_set.filter(confirmed=True).first()
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store.create()
        return store.session_key

    sessions = []
    for peer in peers:
        # A person whose record may still grow: with the "record" consent withdrawn, the
        # encounter form is refused (frozen record) and the POST would measure a refusal.
        person = (
            Person.objects.active()
            .with_open_record()
            .filter(accompaniments__peers=peer)
            .order_by("pk")
            .first()
        )
        if person is None:
            continue
        if len(sessions) == CLIENTS:
            break
        sessions.append(
            {"cookie": session_of(peer.user), "person": person.pk, "user": peer.user.email}
        )
    if NATIONAL:
        from entrepairs.accounts.models import Membership
        from entrepairs.core.roles import Role

        # The demo's observers (one ARS, the national observatory): each of the 8 clients
        # opens its own session as one of them.
        for role in (Role.NATIONAL_OBSERVER, Role.REGIONAL_OBSERVER):
            membership = (
                Membership.objects.filter(role=role, is_active=True, user__is_active=True)
                .select_related("user")
                .order_by("pk")
                .first()
            )
            if membership is not None:
                for session in sessions:
                    session[role] = session_of(membership.user)
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


def drain(base, limit=300):
    """Wait until the workers are free: requests cut by wrk's timeout (a dashboard slower than
    10 s) keep a sync worker busy, and would weigh on the next page's figures."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            urllib.request.urlopen(base + "/compte/connexion/", timeout=limit)
        except OSError:
            pass
        if time.monotonic() - started < 0.5:
            return


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


def queries_of_one_request(line, cookie_name):
    """SQL statements of one GET request (a request line), counted in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    _method, path, cookie, _body = line
    client = Client(HTTP_HOST="127.0.0.1")
    for part in cookie.split("; "):
        name, _, value = part.partition("=")
        client.cookies[name] = value
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} : statut {response.status_code} au lieu de 200")
    return len(captured)


def get_pages(cookie_name, sessions):
    """The GET pages measured, one request line per client (each client is a different peer,
    or, for the observer dashboards, a session of the demo's observer)."""
    from django.urls import reverse

    pages = {}
    if NATIONAL:
        from entrepairs.core.roles import Role

        dashboards = [
            ("Tableau national (GET)", Role.NATIONAL_OBSERVER, "observatory:national"),
            ("Tableau régional (GET)", Role.REGIONAL_OBSERVER, "observatory:regional"),
        ]
        for session in sessions:
            for name, role, url in dashboards:
                if role in session:
                    observer = cookie_header({cookie_name: session[role]})
                    pages.setdefault(name, []).append(("GET", reverse(url), observer, ""))
            cookie = cookie_header({cookie_name: session["cookie"]})
            pages.setdefault(BARE_PAGE, []).append(("GET", reverse("bench_bare"), cookie, ""))
    for session in sessions:
        cookie = cookie_header({cookie_name: session["cookie"]})
        person = session["person"]
        pages.setdefault("Mes personnes (GET)", []).append(
            ("GET", reverse("accompaniment:person_list"), cookie, "")
        )
        pages.setdefault("Fiche d'une personne (GET)", []).append(
            ("GET", reverse("accompaniment:person_detail", args=[person]), cookie, "")
        )
        pages.setdefault("Mon activité (GET)", []).append(
            ("GET", reverse("observatory:my_activity"), cookie, "")
        )
    return pages


def page_requests(base, cookie_name, sessions):
    """The GET pages, then the encounter form posted with its defaults."""
    from django.urls import reverse

    pages = get_pages(cookie_name, sessions)
    pages["Enregistrer une rencontre (POST)"] = []
    for session in sessions:
        form = reverse("accompaniment:encounter_create", args=[session["person"]])
        cookies, body = encounter_post(base, cookie_name, session, form)
        pages["Enregistrer une rencontre (POST)"].append(
            ("POST", form, cookie_header(cookies), body)
        )
    return pages


def count_queries(pages, cookie_name):
    return {
        name: queries_of_one_request(lines[0], cookie_name)
        for name, lines in pages.items()
        if lines[0][0] == "GET"
    }


# --- BENCH_SCALE=national: the load, the refresh and the SQL floor ---------------------------


def vacuum_analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# The refresh of the published (pre-aggregated) tables: the django-tasks task
# entrepairs.observatory.tasks.refresh_published_figures runs publishing.refresh(), as
# `manage.py publish_figures` does; it is timed through that command, in its own process, with
# a limit (BENCH_REFRESH_LIMIT seconds) so that a refresh far beyond its target does not hold
# up the rest of the run.
REFRESH_COMMAND = "publish_figures"
REFRESH_LIMIT = int(os.environ.get("BENCH_REFRESH_LIMIT", "900"))


def timed_refresh():
    """(what ran, seconds or None, note)."""
    from django.core.management import get_commands

    if REFRESH_COMMAND not in get_commands():
        return None, None, "tâche de rafraîchissement absente"
    started = time.monotonic()
    try:
        subprocess.run(
            [sys.executable, "manage.py", REFRESH_COMMAND, "--force"],
            cwd=ROOT,
            check=True,
            timeout=REFRESH_LIMIT,
        )
    except subprocess.TimeoutExpired:
        return REFRESH_COMMAND, None, f"arrêté après {REFRESH_LIMIT} s (limite de la mesure)"
    except subprocess.CalledProcessError as exc:
        return REFRESH_COMMAND, None, f"échec (code {exc.returncode})"
    return REFRESH_COMMAND, time.monotonic() - started, ""


FLOOR_FILES = {
    # what the national page reads today -> its hand-written SQL
    "brut": ROOT / "scripts" / "bench_national_table.sql",
    "publié": ROOT / "scripts" / "bench_national_table_published.sql",
}


def floor_sql(path):
    """The hand-written SQL of the national table and its parameters (the twelve months the
    dashboard on raw tables shows; the published version takes none)."""
    import datetime

    from django.utils import timezone

    end = timezone.localdate()
    return path, Path(path).read_text(), {"start": end - datetime.timedelta(days=364), "end": end}


def run_sql_floor(clients, seconds, path):
    """The same SQL from ``clients`` connections at once for ``seconds``: latency percentiles,
    measured as wrk measures the pages (each client sends its next query when the previous
    one has been answered)."""
    import threading

    import psycopg

    path, sql, params = floor_sql(path)
    if "%(" not in sql:
        params = None
    url = os.environ["DATABASE_URL"]
    latencies, errors, rows = [], [], []
    deadline = time.monotonic() + seconds

    def client():
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                mine = []
                while True:  # at least one query per client (the warm-up is one query)
                    started = time.perf_counter()
                    result = conn.execute(sql, params).fetchall()
                    mine.append((time.perf_counter() - started) * 1000)
                    if time.monotonic() >= deadline:
                        break
                latencies.extend(mine)
                rows.append(len(result))
        except Exception as exc:  # noqa: BLE001 reported in the table, the run goes on
            errors.append(repr(exc))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def percentile(p):
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))]

    return {
        "requests": len(latencies),
        "p50_ms": round(percentile(50), 1),
        "p95_ms": round(percentile(95), 1),
        "p99_ms": round(percentile(99), 1),
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "errors": len(errors),
        "unexpected_status": 0,
        "sql_queries": 1,
        "rows": rows[0] if rows else None,
        "sql_file": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
        "error_messages": errors[:3],
    }


def national_report(results, refresh, queries_before):
    """The national figures against their targets; returns whether every target is met."""
    lines, ok = [], True

    def check(label, value, target, unit, met):
        nonlocal ok
        ok = ok and met
        lines.append(
            f"  {'ok ' if met else 'NON'} {label:<58} {value:>9} {unit:<3} (cible {target})"
        )

    bare = results.get(BARE_PAGE, {}).get("p95_ms")
    floors = {
        kind: results[f"{SQL_FLOOR} ({kind})"]["p95_ms"]
        for kind in FLOOR_FILES
        if results.get(f"{SQL_FLOOR} ({kind})", {}).get("requests")
    }
    for name in ("Tableau national (GET)", "Tableau régional (GET)"):
        if name not in results:
            check(name, "absent", "page mesurée", "", False)
            continue
        if not results[name]["requests"]:
            check(f"{name} p95", "aucune réponse", f"≤ {TARGET_DASHBOARD_P95_MS} ms", "", False)
            continue
        p95 = results[name]["p95_ms"]
        check(
            f"{name} p95",
            f"{p95:.1f}",
            f"≤ {TARGET_DASHBOARD_P95_MS} ms",
            "ms",
            p95 <= TARGET_DASHBOARD_P95_MS,
        )
        for kind, floor in floors.items():
            ratio = p95 / floor
            check(
                f"{name} p95 / plancher SQL {kind} ({floor:.1f} ms)",
                f"{ratio:.2f}",
                f"≤ {TARGET_DASHBOARD_SQL_RATIO}",
                "×",
                ratio <= TARGET_DASHBOARD_SQL_RATIO,
            )
    for name in PEER_PAGES:
        if name not in results:
            continue
        p95 = results[name]["p95_ms"]
        met = p95 <= TARGET_P95_MS and results[name]["requests"] > 0
        check(f"{name} p95", f"{p95:.1f}", f"≤ {TARGET_P95_MS} ms", "ms", met)
        if bare:
            ratio = p95 / bare
            check(
                f"{name} p95 / vue nue ({bare:.1f} ms)",
                f"{ratio:.2f}",
                f"≤ {TARGET_PEER_BARE_RATIO}",
                "×",
                ratio <= TARGET_PEER_BARE_RATIO,
            )
    name, seconds, note = refresh
    if seconds is None:
        check(f"Rafraîchissement des tables publiées : {note}", "—", "≤ 600 s", "", False)
    else:
        check(
            f"Rafraîchissement ({name})",
            f"{seconds:.1f}",
            f"≤ {TARGET_REFRESH_SECONDS} s",
            "s",
            seconds <= TARGET_REFRESH_SECONDS,
        )
    for page, before in queries_before.items():
        after = results.get(page, {}).get("sql_queries")
        check(
            f"Requêtes SQL « {page} » : démo small → national",
            f"{before} → {after}",
            "constant",
            "",
            before == after,
        )
    return ok, lines


def main():
    wrk = ensure_wrk()
    timings = {"migrate": manage("migrate", "--noinput", "-v0")}
    demo_scale = "small" if NATIONAL else SCALE
    loaded = False
    if not os.environ.get("BENCH_KEEP_DATA"):
        timings["import_territory"] = manage("import_territory")
        timings["import_sae"] = manage("import_sae")
        timings[f"demo --scale {demo_scale}"] = manage("demo", "--scale", demo_scale, "--seed", "7")
        loaded = True
    sessions, counts, cookie_name = prepare()
    queries_before, refresh = {}, (None, None, "non mesuré")
    if NATIONAL:
        import bench_national

        from entrepairs.accompaniment.models import Encounter

        if loaded:
            # Queries per page on the small demo, compared below with the same pages at
            # national volume: they must not grow with the data.
            queries_before = count_queries(get_pages(cookie_name, sessions), cookie_name)
        # BENCH_NATIONAL_FRACTION (0.01…1) loads a fraction of the volume: a quick check of the
        # whole run, not a measure.
        fraction = float(os.environ.get("BENCH_NATIONAL_FRACTION", "1"))
        volumes = {
            name: int(getattr(bench_national, name.upper()) * fraction)
            for name in ("peers", "persons", "encounters")
        }
        if Encounter.objects.count() < volumes["encounters"]:
            for step, seconds in bench_national.load(seed=7, **volumes).items():
                timings[step] = seconds
                print(f"  {step} : {seconds:.1f} s", flush=True)
            started = time.monotonic()
            vacuum_analyze()
            timings["VACUUM ANALYZE"] = time.monotonic() - started
            print(f"  VACUUM ANALYZE : {timings['VACUUM ANALYZE']:.1f} s", flush=True)
        refresh = timed_refresh()
        if refresh[1] is not None:
            timings["rafraîchissement des tables publiées"] = refresh[1]
            print(f"  rafraîchissement ({refresh[0]}) : {refresh[1]:.1f} s", flush=True)
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
            # The first request of a worker imports every view (scipy for the outcomes): on a
            # loaded machine it may take longer than gunicorn's default 30 s.
            "--timeout",
            "300",
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
        # The dashboards last: on raw tables at national volume one request takes minutes,
        # and the requests wrk gives up on keep the workers busy long after.
        order = sorted(pages, key=lambda name: name.startswith("Tableau"))
        for name in order:
            lines = pages[name]
            try:
                # Warm-up, not measured: every worker loads its templates and its connection.
                run_wrk(wrk, base, lines, WARMUP_SECONDS)
                results[name] = run_wrk(wrk, base, lines, SECONDS)
                results[name]["sql_queries"] = (
                    queries_of_one_request(lines[0], cookie_name) if lines[0][0] == "GET" else None
                )
                drain(base)
            except Exception as exc:  # noqa: BLE001 one page's failure is reported, not fatal
                print(f"ERREUR sur « {name} » : {exc!r}", flush=True)
                results.setdefault(name, FAILED | {"error": repr(exc)[:300]})
                results[name].setdefault("sql_queries", None)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a worker still busy with a long request
            server.kill()
            server.wait()
    if NATIONAL:
        # With the HTTP server stopped, as the pages ran with no other load.
        for kind, path in FLOOR_FILES.items():
            if kind == "publié" and refresh[1] is None:
                continue  # nothing published to read
            run_sql_floor(len(sessions), 0, path)
            results[f"{SQL_FLOOR} ({kind})"] = run_sql_floor(len(sessions), SECONDS, path)
    print(
        f"\n{len(sessions)} clients concurrents (wrk, une connexion par pair-aidant·e), "
        f"{SECONDS} s par page, gunicorn {WORKERS} workers, Python {python_version} ({python})"
    )
    print(f"{'page':<46}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'SQL':>5}")
    ok = True
    for name, figures in results.items():
        target = TARGET_DASHBOARD_P95_MS if name.startswith("Tableau") else TARGET_P95_MS
        flag = ""
        if name in PEER_PAGES or name.startswith("Tableau") or not NATIONAL:
            flag = "" if figures["p95_ms"] <= target else f"  > cible {target} ms"
            ok = ok and figures["p95_ms"] <= target
        if figures["errors"] or figures["unexpected_status"]:
            ok = False
            flag += (
                f"  ERREURS {figures['errors']} / statuts inattendus {figures['unexpected_status']}"
            )
            if figures.get("last_unexpected"):
                flag += f" (dernier : {figures['last_unexpected']})"
        sql = "" if figures["sql_queries"] is None else figures["sql_queries"]
        print(
            f"{name:<46}{figures['requests']:>7}{figures['p50_ms']:>9.1f}"
            f"{figures['p95_ms']:>9.1f}{figures['p99_ms']:>9.1f}{sql:>5}{flag}"
        )
    report = []
    if NATIONAL:
        national_ok, report = national_report(results, refresh, queries_before)
        ok = ok and national_ok
        print("\nCibles du volume national (ratios mesurés dans la même exécution) :")
        print("\n".join(report))
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / ("national.json" if NATIONAL else "latest.json")).write_text(
        json.dumps(
            {
                "scale": SCALE,
                "clients": len(sessions),
                "seconds_per_page": SECONDS,
                "gunicorn_workers": WORKERS,
                "server_python": f"{python_version} ({python})",
                "volumes": counts,
                "setup_seconds": {k: round(v, 1) for k, v in timings.items()},
                "pages": results,
                "queries_before_load": queries_before,
                "refresh": {"entry_point": refresh[0], "seconds": refresh[1], "note": refresh[2]},
                "targets": report,
            },
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    )
    print(f"\nPréparation (s) : { {k: round(v, 1) for k, v in timings.items()} }")
    print("Cibles :", "atteintes" if ok else "NON atteintes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
