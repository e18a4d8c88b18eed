"""The forms of the project, found as a user finds them, and the bad values thrown at them.

``tests/test_bad_input_fuzz.py`` opens every page of the authorization matrix as each persona
allowed to see it, reads the ``<form>`` elements of the HTML (names, types, options), finds a
submission the form accepts, then posts bad values field by field. A request must never end in
a server error, and a request the application refuses (form error, 4xx, or a redirect with an
error message) must leave every table as it was, apart from the audit log, sessions and
django-axes.

Forms whose first success consumes their object (a link used, an encounter deleted) are found
again from a fresh object: the route's ``kwargs`` are called again and the pages that led to the
form (``?q=1``, then each question) are replayed.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm
from django.urls import Resolver404, resolve
from django.utils import timezone

# Tables a refused request may still write: the audit log of what was read, sessions, lockouts.
WRITABLE_ON_REFUSAL = {
    "core_accessevent",
    "core_accesseventrecord",
    "django_session",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accessattemptexpiration",
    "axes_accesslog",
    "accounts_ratelimithit",  # rate limits count refused requests too (keyed hashes only)
}
STATIC_TABLES = {"auth_permission", "django_content_type"}
NOT_FUZZED_ACTIONS = {"accounts:logout"}  # it ends the persona's session
SKIPPED_NAMES = {"csrfmiddlewaretoken"}  # and Django's "initial-*" copies, see fuzzed()
TEXT_KINDS = {"text", "textarea", "search", "password", "email", "tel", "url", "hidden"}
CHOICE_KINDS = {"select", "radio", "checkbox", "submit"}

# The attack catalogue: what the testers sent, and its neighbours. The sweep sends each
# value of the short lists to each field; hypothesis draws from the long ones and generates more.
HUGE_DIGITS = "9" * 5000
ID_30_DIGITS = "1" + "0" * 29
BIG_TEXT = "x" * (200 * 1024)
UNICODE = "é漢字🙂\u202e\ufeff\u200b"
SWEEP_TEXT = ["a\x00b", BIG_TEXT, UNICODE, "²", ""]
SWEEP_HIDDEN = [ID_30_DIGITS, HUGE_DIGITS, "²", "-1", "a\x00b", ""]
SWEEP_NUMBERS = ["²", HUGE_DIGITS, ID_30_DIGITS, "2147483648", "-1", "1e400", ""]
SWEEP_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "2024-02-30", "31/12/9999", "²"]
SWEEP_CHOICES = [ID_30_DIGITS, HUGE_DIGITS, "²", "1\x00"]
BAD_TEXT = [*SWEEP_TEXT, "\x00", ID_30_DIGITS, HUGE_DIGITS, "   ", "<b>x</b>", "0001-01-01"]
BAD_NUMBERS = [
    *SWEEP_NUMBERS,
    "½",
    "٣",
    "-" + ID_30_DIGITS,
    "9223372036854775808",
    "NaN",
    "Infinity",
    "1\x00",
    "0x10",
    "1,5",
]
BAD_DATES = [*SWEEP_DATES, "10000-01-01", "01/01/0001", "0000-00-00", ID_30_DIGITS, ""]
BAD_CHOICES = [*SWEEP_CHOICES, "-1", "0", UNICODE, "", "9223372036854775808"]
STAYS_HEADER = b"reference_personne;date_entree;date_sortie;mode_legal\n"
BAD_FILES = {
    "empty": b"",
    "nul": b"\x00" * 64,
    "not-utf8": b"\xff\xfe\xfa" * 100,
    "one-200k-line": b"x" * (200 * 1024),
    "csv-superscript": STAYS_HEADER + "²;2025-01-01;2025-01-02;SL\n".encode(),
    "csv-5000-digits": STAYS_HEADER + HUGE_DIGITS.encode() + b";2025-01-01;2025-01-02;SL\n",
    "csv-year-1": STAYS_HEADER + b"1;0001-01-01;9999-12-31;SL\n",
    "csv-200k-field": STAYS_HEADER + b"1;2025-01-01;2025-01-02;" + b"S" * (200 * 1024) + b"\n",
    "json-100000-deep": b"[" * 100_000 + b"]" * 100_000,
    "json-questionnaire-bad-scoring": (
        b'{"resourceType": "Questionnaire", "status": "active", "title": "Titre",'
        b' "extension": [{"url": "https://entrepairs.fr/fhir/StructureDefinition/scoring",'
        b' "valueString": "{pas du json"}],'
        b' "item": [{"linkId": "q1", "type": "string", "text": "Question"}]}'
    ),
    "pdf-header-only": b"%PDF-1.4\n" + b"\x00" * 10,
}


def today() -> datetime.date:
    return timezone.localdate()


# HTML ----------------------------------------------------------------------------------------
@dataclass
class Field:
    """One submitted name of a form: its kind, the values it offers, what it holds now."""

    name: str
    kind: str  # text-like input type, "textarea", "select", "radio", "checkbox", "file", "submit"
    options: list = field(default_factory=list)
    multiple: bool = False
    current: list = field(default_factory=list)
    attrs: dict = field(default_factory=dict)

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS


@dataclass
class HtmlForm:
    method: str
    action: str
    enctype: str
    fields: dict  # name -> Field, document order
    view_name: str = ""  # of the URL the form is sent to (set by ``get_page``)
    in_header: bool = False  # in the page's <header>: the same form on every page

    @property
    def signature(self) -> tuple:
        """What identifies the form on its page, even after its object was made again: where it
        is sent and the names it sends (a logout button and a confirmation button both send
        nothing: only their view tells them apart)."""
        names = tuple(sorted(n for n, f in self.fields.items() if f.kind != "submit"))
        return (self.method, self.view_name, names)


class FormParser(HTMLParser):
    """Every <form> of a page with its controls; and every link of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self.links: list[str] = []
        self._form = None
        self._select = None
        self._option = None
        self._textarea = None
        self._header_depth = 0

    def _add(self, name, kind, value=None, checked=False, attrs=None):
        if not name or name in SKIPPED_NAMES or self._form is None:
            return
        fields = self._form.fields
        existing = fields.get(name)
        if existing is None:
            existing = fields[name] = Field(name, kind, attrs=attrs or {})
        if kind in ("radio", "checkbox", "submit"):
            existing.options.append(value if value is not None else "on")
            if checked:
                existing.current.append(value if value is not None else "on")
            existing.multiple = kind == "checkbox" and len(existing.options) > 1
        elif value:
            existing.current = [value]

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "header":
            self._header_depth += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = HtmlForm(
                a.get("method", "get").lower(),
                a.get("action", ""),
                a.get("enctype", ""),
                {},
                in_header=self._header_depth > 0,
            )
            self.forms.append(self._form)
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("button", "reset", "image"):
                return
            self._add(a.get("name"), kind, a.get("value"), "checked" in a, a)
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit" and a.get("name"):
                self._add(a["name"], "submit", a.get("value", ""), attrs=a)
        elif tag == "select":
            self._select = Field(a.get("name", ""), "select", multiple="multiple" in a, attrs=a)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_text = ""
            if "selected" in a:
                self._select.current.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = Field(a.get("name", ""), "textarea", attrs=a)
            self._textarea_text = ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea_text += data
        elif self._option is None and self._select is not None:
            pass
        if self._select is not None and hasattr(self, "_option_text"):
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "header":
            self._header_depth = max(0, self._header_depth - 1)
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select is not None:
            value = self._option if self._option is not None else self._option_text.strip()
            self._select.options.append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            if self._form is not None and self._select.name not in SKIPPED_NAMES:
                self._form.fields[self._select.name] = self._select
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.current = [self._textarea_text] if self._textarea_text else []
            if self._form is not None and self._textarea.name:
                self._form.fields[self._textarea.name] = self._textarea
            self._textarea = None


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


# Values --------------------------------------------------------------------------------------
ABSENT = object()  # the name is not sent at all (an unticked box)


class Counter:
    n = 0

    @classmethod
    def next(cls) -> int:
        cls.n += 1
        return cls.n


def default_value(f: Field):
    """What a careful user would submit: the field's own value, or a plausible one."""
    if f.kind == "submit":
        return [f.options[0]]
    if f.kind == "file":
        return ABSENT
    if f.kind in ("select", "radio"):
        chosen = [v for v in f.current if v != ""]
        if chosen:
            return chosen
        offered = [v for v in f.options if v != ""]
        if f.multiple:
            return offered[:1]
        return offered[:1] or [""]
    if f.kind == "checkbox":
        if f.current:
            return list(f.current)
        if f.multiple:
            return f.options[:1]
        return f.options[:1] if "required" in f.attrs else ABSENT
    if f.current and f.current[0].strip():
        return list(f.current)
    return [plausible_text(f)]


def plausible_text(f: Field, variant: int = 0) -> str:
    kind, attrs = f.kind, f.attrs
    if kind == "date":
        return (today() - datetime.timedelta(days=(0, 30, 400)[variant % 3])).isoformat()
    if kind == "time":
        return "10:00"
    if kind == "number":
        low = int(float(attrs["min"])) if attrs.get("min") not in (None, "") else 0
        high = int(float(attrs["max"])) if attrs.get("max") not in (None, "") else 10_000
        return str(min(max((1, 30, 60, 1985)[variant % 4], low), high))
    if kind == "email":
        return f"fuzz-{Counter.next()}@example.org"
    if kind == "url":
        return "https://example.org/"
    if kind == "tel":
        return "0600000000"
    text = f"Texte valide {Counter.next()}"
    if "pattern" in attrs and "[0-9]" in attrs["pattern"]:
        text = "123456"
    limit = int(attrs.get("maxlength") or 0)
    return text[:limit] if limit else text


def alternatives(f: Field) -> list:
    """Other valid-looking values to try when the form refuses the default one."""
    if f.kind == "submit" or f.kind == "file":
        return []
    if f.kind in ("select", "radio") or (f.kind == "checkbox" and f.multiple):
        offered = [v for v in f.options if v != ""]
        values = [[v] for v in offered]
        if f.multiple:
            values.append([])
        return values
    if f.kind == "checkbox":
        return [ABSENT, f.options[:1]]
    variants = (1, 2, 3) if f.kind == "number" else (1, 2)
    return [[plausible_text(f, variant)] for variant in variants] + [[""]]


def bad_values(f: Field) -> list:
    """The values the sweep sends to one field."""
    if f.kind == "file":
        return [("file", name) for name in BAD_FILES]
    if f.is_choice:
        values = [[v] for v in SWEEP_CHOICES]
        offered = [v for v in f.options if v]
        if (f.multiple or f.kind == "checkbox") and offered:
            values.append(offered[:1] + [ID_30_DIGITS])
        return values
    catalogue = {"number": SWEEP_NUMBERS, "date": SWEEP_DATES, "hidden": SWEEP_HIDDEN}
    return [[v] for v in catalogue.get(f.kind, SWEEP_TEXT)]


def fuzzed(name: str, f: Field) -> bool:
    """Fields that receive bad values: not a lone submit button, nor the hidden copy of an
    initial value that Django adds for callable defaults (``initial-<name>``)."""
    return not (f.kind == "submit" and len(f.options) < 2) and not name.startswith("initial-")


def encode(values: dict) -> dict:
    data = {}
    for name, value in values.items():
        if value is ABSENT:
            continue
        if isinstance(value, tuple) and value[0] == "file":
            data[name] = SimpleUploadedFile(f"{value[1]}.bin", BAD_FILES[value[1]])
        else:
            data[name] = value
    return data


def describe(values: dict) -> str:
    parts = []
    for name, value in values.items():
        if value is ABSENT:
            continue
        text = repr(value)
        parts.append(f"{name}={text[:60]}{'…' if len(text) > 60 else ''}")
    return ", ".join(parts)


# The database ---------------------------------------------------------------------------------
def tables_to_watch() -> list[str]:
    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    return sorted(tables - WRITABLE_ON_REFUSAL - STATIC_TABLES)


def fingerprint(tables) -> dict[str, str]:
    """A digest of every row of every table (inserts, updates and deletes all change it)."""
    digests = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before if before[t] != after.get(t))


# Submitting ----------------------------------------------------------------------------------
@dataclass
class Outcome:
    status: int
    refused: bool  # a form error, a 4xx, or a redirect that carries an error message
    error_fields: set
    location: str = ""
    crash: str = ""  # the server error, when there was one
    failure: str = ""  # what the test reports


def form_errors(response) -> set:
    """Names of the fields in error (``__all__`` for the whole form) on the rendered page."""
    names = set()
    for context in response.context or []:
        for layer in getattr(context, "dicts", [context]):
            if not isinstance(layer, dict):
                continue
            for key, value in layer.items():
                if isinstance(value, BaseForm) and value.is_bound and value._errors:
                    names |= set(value._errors)
                elif key == "error" and isinstance(value, str) and value:
                    names.add("*")
                elif key == "errors" and isinstance(value, list) and value:
                    names.add("*")
    return names


def error_messages(response) -> bool:
    for context in response.context or []:
        for layer in getattr(context, "dicts", [context]):
            if isinstance(layer, dict) and "messages" in layer:
                try:
                    if any(m.level >= message_levels.ERROR for m in layer["messages"]):
                        return True
                except TypeError:
                    continue
    return False


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.netloc or parts.netloc in ("testserver", "localhost")


def submit(client, form: HtmlForm, page_url: str, values: dict) -> Outcome:
    """Send the form as a browser would; a view's exception is caught and reported."""
    target = urljoin(page_url, form.action) if form.action else page_url
    data = encode(values)
    try:
        with transaction.atomic():  # a failed request must not poison the rest of the test
            if form.method == "post":
                response = client.post(target, data)
            else:
                query = dict(parse_qsl(urlsplit(target).query))
                response = client.get(target.split("?")[0], {**query, **data})
    except Exception as exc:  # noqa: BLE001 anything a view raises is what we look for
        return Outcome(500, False, set(), crash=f"{type(exc).__name__}: {str(exc)[:200]}")
    status = response.status_code
    if status >= 500:
        return Outcome(status, False, set(), crash=f"HTTP {status}")
    if status in (301, 302, 303):
        return Outcome(status, False, set(), location=urljoin(target, response["Location"]))
    errors = form_errors(response)
    return Outcome(status, status >= 400 or bool(errors), errors)


def follow(client, outcome: Outcome) -> Outcome:
    """Open the page a redirect leads to: it must work, and its messages tell a refusal."""
    if not outcome.location or not is_local(outcome.location):
        return outcome
    try:
        with transaction.atomic():
            response = client.get(outcome.location)
    except Exception as exc:  # noqa: BLE001
        outcome.crash = f"page after the redirect ({outcome.location}): {type(exc).__name__}: {exc}"
        return outcome
    if response.status_code >= 500:
        outcome.crash = f"page after the redirect ({outcome.location}): HTTP {response.status_code}"
    elif response.status_code == 200 and error_messages(response):
        outcome.refused = True
    return outcome


# Targets -------------------------------------------------------------------------------------
@dataclass
class Target:
    """One form of one page, as one persona sees it, and how to reach it again."""

    route: object
    persona: str
    query: str  # the page is the route's URL with this query string
    signature: tuple
    chain: list  # [(query of the page, signature, values)] posted to reach this page
    page_url: str = ""
    form: HtmlForm | None = None
    baseline: dict = field(default_factory=dict)
    accepted: bool = False  # the baseline was accepted by the form
    dirty: bool = False  # a success may have consumed the form's object
    last_location: str = ""  # where the accepted baseline led

    @property
    def action_name(self) -> str:
        return self.form.view_name

    def label(self) -> str:
        query = f"?{self.query}" if self.query else ""
        return f"{self.persona} → {self.route.name}{query} [{self.form.method} {self.action_name}]"


def with_query(url: str, query: str) -> str:
    return f"{url.split('?')[0]}?{query}" if query else url.split("?")[0]


def get_page(client, url):
    """The forms and links of the page at ``url``, or None when it is not an HTML page."""
    try:
        with transaction.atomic():
            response = client.get(url)
    except Exception:  # noqa: BLE001 a page that breaks on GET is the matrix's business
        return None
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    page = parse(response.content.decode())
    for form in page.forms:
        target = urljoin(url, form.action) if form.action else url
        try:
            form.view_name = resolve(urlsplit(target).path).view_name if is_local(target) else ""
        except Resolver404:
            form.view_name = ""
    return page


def link_forms(page, page_url) -> list[HtmlForm]:
    """The query string of a link (``?page=2``, ``?mois=2026-03``, ``?finalite=…``) is a form
    too: its parameters are sent by hand as easily as a form's fields."""
    forms = []
    for href in page.links:
        url = urljoin(page_url, href)
        parts = urlsplit(url)
        if not parts.query or not is_local(url):
            continue
        try:
            view_name = resolve(parts.path).view_name
        except Resolver404:
            continue
        fields = {
            name: Field(name, "hidden", current=[value])
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
        }
        forms.append(HtmlForm("get", parts.path, "", fields, view_name))
    return forms


def find_form(page, signature):
    return next((f for f in (page.forms if page else []) if f.signature == signature), None)


def fuzzable(form: HtmlForm) -> bool:
    name = form.view_name
    if not name or name in NOT_FUZZED_ACTIONS or name.startswith("admin:"):
        return False
    return any(f.kind != "submit" for f in form.fields.values()) or form.method == "post"


class Explorer:
    """Finds the targets of one (route, persona) and keeps them reachable."""

    MAX_PAGES = 12
    MAX_SEARCH = 30

    def __init__(self, world, route, persona, client, url_for):
        self.world, self.route, self.persona, self.client = world, route, persona, client
        self.url_for = url_for
        self.requests = 0

    def base_url(self) -> str:
        return self.url_for(self.route, self.world, "a")

    def discover(self) -> list[Target]:
        base = self.base_url()
        queue = [(urlsplit(base).query, [])]
        seen_pages, seen_forms, targets = set(), set(), []
        while queue and len(seen_pages) < self.MAX_PAGES:
            query, chain = queue.pop(0)
            if query in seen_pages:
                continue
            seen_pages.add(query)
            page_url = with_query(base, query)
            page = get_page(self.client, page_url)
            self.requests += 1
            if page is None:
                continue
            path = urlsplit(base).path
            for href in page.links:
                link = urlsplit(urljoin(page_url, href))
                if link.path == path and link.query and link.query not in seen_pages:
                    queue.append((link.query, chain))
            for form in [*page.forms, *link_forms(page, page_url)]:
                if not fuzzable(form) or form.signature in seen_forms:
                    continue  # the same form on another page (?page=2, ?mois=…) is the same
                if form.in_header and form.method == "get":
                    continue  # the header's search, on every page: fuzzed on its own page
                    # (and on the homes, whose box sends the same fields)
                seen_forms.add(form.signature)
                target = Target(self.route, self.persona, query, form.signature, chain)
                target.page_url, target.form = page_url, form
                self.find_baseline(target)
                targets.append(target)
                if target.accepted and target.form.method == "post":
                    target.dirty = True
                    nxt = urlsplit(target.last_location or "")
                    if nxt.path == path and nxt.query and nxt.query not in seen_pages:
                        queue.append(
                            (nxt.query, [*chain, (query, form.signature, target.baseline)])
                        )
        return targets

    def find_baseline(self, target: Target):
        """Default values, then one change at a time until the form accepts them."""
        form = target.form
        values = {name: default_value(f) for name, f in form.fields.items()}
        target.baseline, target.last_location = values, ""
        if form.method == "get":
            target.accepted = True
            return
        outcome = submit(self.client, form, target.page_url, values)
        self.requests += 1
        best = (len(outcome.error_fields) if outcome.refused else -1, values)
        tries = 0
        while best[0] > 0 and tries < self.MAX_SEARCH:
            improved = False
            for name, f in form.fields.items():
                if f.kind != "file" and not f.is_choice and name not in outcome.error_fields:
                    continue
                for alternative in alternatives(f):
                    if tries >= self.MAX_SEARCH:
                        break
                    candidate = {**best[1], name: alternative}
                    if candidate == best[1]:
                        continue
                    tries += 1
                    trial = submit(self.client, form, target.page_url, candidate)
                    self.requests += 1
                    if trial.crash:
                        break
                    score = len(trial.error_fields) if trial.refused else -1
                    if score < best[0]:
                        best, outcome, improved = (score, candidate), trial, True
                        break
                if improved:
                    break
            if not improved:
                break
        target.baseline = best[1]
        target.accepted = best[0] == -1
        target.last_location = outcome.location
        if target.accepted:
            self.refresh_hidden(target)

    def refresh_hidden(self, target: Target):
        """After a success: the form may be gone (object consumed) or its hidden values moved
        on (a version number). Look again, and rebuild the target from a fresh object if
        needed. Returns False when the form cannot be reached any more."""
        if target.form.method == "get":
            target.dirty = False  # a GET changes nothing: nothing to look again for
            return True
        page = get_page(self.client, target.page_url)
        self.requests += 1
        form = find_form(page, target.signature)
        if form is None:
            return self.rebuild(target)
        self._adopt(target, form)
        return True

    def _adopt(self, target: Target, form: HtmlForm):
        target.form = form
        for name, f in form.fields.items():
            if f.kind == "hidden":
                target.baseline[name] = default_value(f)
        target.dirty = False

    def rebuild(self, target: Target) -> bool:
        base = self.base_url()
        for query, signature, values in target.chain:
            page_url = with_query(base, query)
            page = get_page(self.client, page_url)
            form = find_form(page, signature)
            if form is None:
                return False
            hidden = {n: default_value(f) for n, f in form.fields.items() if f.kind == "hidden"}
            submit(self.client, form, page_url, {**values, **hidden})
            self.requests += 2
        target.page_url = with_query(base, target.query)
        page = get_page(self.client, target.page_url)
        self.requests += 1
        form = find_form(page, target.signature)
        if form is None:
            return False
        self._adopt(target, form)
        return True


IMPLAUSIBLE_DATES = ("0001-01-01", "9999-12-31")


@dataclass
class Findings:
    crashes: list = field(default_factory=list)
    partial_writes: list = field(default_factory=list)
    accepted_dates: list = field(default_factory=list)
    requests: int = 0
    examples: int = 0

    @property
    def problems(self) -> list[str]:
        return self.crashes + self.partial_writes + self.accepted_dates

    def check_date_refused(self, explorer, target: Target, name: str, tables):
        """A form that accepts its other values must refuse 0001-01-01 and 9999-12-31."""
        if not target.accepted:
            return
        for day in IMPLAUSIBLE_DATES:
            outcome = self.post(explorer, target, {**target.baseline, name: [day]}, tables)
            if outcome is not None and not outcome.crash and not outcome.refused:
                self.accepted_dates.append(f"{target.label()}: {name}={day} accepté")

    def check(self, explorer, target: Target, values: dict, tables) -> str:
        """Post ``values`` to the target; return the failure, or "" when all is well."""
        outcome = self.post(explorer, target, values, tables)
        return outcome.failure if outcome else ""

    def post(self, explorer, target: Target, values: dict, tables) -> "Outcome | None":
        """Post ``values``, record a crash or a partial write; None if the form is gone."""
        if target.dirty and not explorer.refresh_hidden(target):
            return None
        before = fingerprint(tables)
        outcome = submit(explorer.client, target.form, target.page_url, values)
        self.requests += 1
        self.examples += 1
        after = fingerprint(tables)
        if not outcome.crash and outcome.location:
            follow(explorer.client, outcome)
            self.requests += 1
        if outcome.crash:
            outcome.failure = f"{target.label()}: {outcome.crash}\n    {describe(values)}"
            self.crashes.append(outcome.failure)
            target.dirty = True
            return outcome
        changed = changed_tables(before, after)
        if (outcome.refused or target.form.method == "get") and changed:
            outcome.failure = (
                f"{target.label()}: refusé ({outcome.status}) mais écrit dans {changed}\n"
                f"    {describe(values)}"
            )
            self.partial_writes.append(outcome.failure)
            return outcome
        if changed or outcome.location:
            target.dirty = True
        return outcome
