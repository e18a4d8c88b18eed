#!/usr/bin/env python3
"""`make bench`: HTTP benchmarks on PostgreSQL with realistic volumes.

Run through scripts/with_postgres.py (DATABASE_URL set). Steps:
1. migrate, import the real territory and SAE files, generate the `medium` demo
   (>= 200 peers, 20,000 persons, 300,000 encounters);
2. start gunicorn (config.settings.bench) on a free loopback port;
3. 8 concurrent clients, each logged in as a different peer (session + verified TOTP device
   written directly, as after a real login), hit each page for a bounded number of requests;
4. print p50 / p95 / max per page and the SQL query count of one request, and write
   bench-results/latest.json. Target: p95 < 150 ms with 8 clients on 2 cores.
"""

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_REQUESTS", "40"))
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

    # A production database is analysed by autovacuum; after a bulk load of 300,000 rows the
    # statistics are not there yet, and the planner would scan whole tables.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
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


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Client:
    """A browser-like client: keeps its cookies (session, CSRF) by hand, one per thread."""

    def __init__(self, base, cookie_name, session):
        self.base = base
        self.cookies = {cookie_name: session["cookie"]}
        # A redirect after a POST is the answer we time; it is not followed.
        self.opener = urllib.request.build_opener(NoRedirect)

    def _keep_cookies(self, headers):
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def _open(self, request):
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            with self.opener.open(request, timeout=30) as response:
                self._keep_cookies(response.headers)
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            self._keep_cookies(exc.headers)
            return exc.code, ""

    def get(self, path):
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path, fields, referer):
        data = urllib.parse.urlencode(fields).encode()
        return self._open(
            urllib.request.Request(self.base + path, data=data, headers={"Referer": referer})
        )


def timed(samples, key, func):
    started = time.perf_counter()
    status, body = func()
    samples.setdefault(key, []).append((time.perf_counter() - started) * 1000)
    if status not in (200, 302):
        raise RuntimeError(f"{key}: HTTP {status}")
    return body


def run_client(base, cookie_name, session, paths, samples, errors, passes=REQUESTS_PER_CLIENT):
    client = Client(base, cookie_name, session)
    try:
        for _ in range(passes):
            timed(samples, "Mes personnes (GET)", lambda: client.get(paths["person_list"]))
            timed(samples, "Fiche d'une personne (GET)", lambda: client.get(paths["person_detail"]))
            timed(samples, "Mon activité (GET)", lambda: client.get(paths["my_activity"]))
            form = client.get(paths["encounter_create"])[1]
            parser = FormParser()
            parser.feed(form)
            fields = [
                (k, v)
                for k, v in parser.fields
                if not k.startswith("note") or k == "note_visibility"
            ]
            body = timed(
                samples,
                "Enregistrer une rencontre (POST)",
                lambda f=fields: client.post(
                    paths["encounter_create"], f, client.base + paths["encounter_create"]
                ),
            )
            if "form-errors" in body:
                raise RuntimeError(
                    "le formulaire de rencontre a été refusé : "
                    + re.sub(r"\s+", " ", body[body.find("form-errors") :][:300])
                )
    except Exception as exc:  # noqa: BLE001 - reported in the summary
        errors.append(f"{session['user']}: {exc}")


def percentile(values, p):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main():
    timings = {"migrate": manage("migrate", "--noinput", "-v0")}
    timings["import_territory"] = manage("import_territory")
    timings["import_sae"] = manage("import_sae")
    timings[f"demo --scale {SCALE}"] = manage("demo", "--scale", SCALE, "--seed", "7")
    sessions, counts, cookie_name = prepare()
    print(f"Volumes : {counts}", flush=True)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "4",
            "--env",
            "DJANGO_SETTINGS_MODULE=config.settings.bench",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/compte/connexion/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        import django
        from django.urls import reverse

        django.setup()
        samples, errors, threads = {}, [], []

        def paths_for(session):
            return {
                "person_list": reverse("accompaniment:person_list"),
                "person_detail": reverse("accompaniment:person_detail", args=[session["person"]]),
                "encounter_create": reverse(
                    "accompaniment:encounter_create", args=[session["person"]]
                ),
                "my_activity": reverse("observatory:my_activity"),
            }

        for session in sessions:
            paths = paths_for(session)
            threads.append(
                threading.Thread(
                    target=run_client, args=(base, cookie_name, session, paths, samples, errors)
                )
            )
        # Warm-up, not measured: each gunicorn worker loads its templates and connections.
        warm = {}
        for session in sessions[:4]:
            run_client(base, cookie_name, session, paths_for(session), warm, errors, passes=2)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    results = {}
    print(
        f"\n{len(sessions)} clients concurrents, {REQUESTS_PER_CLIENT} passages chacun, {elapsed:.1f} s"
    )
    print(f"{'page':<36}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    ok = not errors
    for key, values in samples.items():
        p50, p95 = percentile(values, 50), percentile(values, 95)
        results[key] = {
            "n": len(values),
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "max_ms": round(max(values), 1),
            "mean_ms": round(statistics.mean(values), 1),
        }
        flag = "" if p95 < TARGET_P95_MS else "  > cible 150 ms"
        ok = ok and p95 < TARGET_P95_MS
        print(f"{key:<36}{len(values):>6}{p50:>10.1f}{p95:>10.1f}{max(values):>10.1f}{flag}")
    for error in errors[:10]:
        print("ERREUR", error)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps(
            {
                "clients": len(sessions),
                "volumes": counts,
                "setup_seconds": timings,
                "pages": results,
                "errors": errors,
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
