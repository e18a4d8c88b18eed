"""Every form of the project against bad values (see tests/bad_input.py for how forms are found).

For each page of the authorization matrix, as each persona allowed to open it (public pages: as
an anonymous visitor and as a signed-in coordinator), every form of the page is:

1. swept: each field in turn receives each value of the attack catalogue (huge numbers, "²",
   NUL bytes, 0001-01-01, 9999-12-31, 200 KiB strings, 30-digit ids, empty, unicode, malicious
   files), the other fields keeping values the form accepts;
2. fuzzed by hypothesis: one to three fields at once receive generated bad values while the
   choice fields may take other offered values (``derandomize``: the same examples every run).

Any server error, on the request or on the page it redirects to, fails the test; so does a
refused request (form error, 4xx, redirect with an error message) that wrote anything but the
audit log, a session or a lockout row. ``ENTREPAIRS_FUZZ_EXAMPLES`` sets the hypothesis examples
per form (default 8); the figures are printed with ``-s``.
"""

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from entrepairs.evaluation.publishing import load_builtin_instruments
from tests.accompaniment.factories import ResourceFactory
from tests.bad_input import (
    BAD_CHOICES,
    BAD_DATES,
    BAD_FILES,
    BAD_NUMBERS,
    BAD_TEXT,
    Explorer,
    Findings,
    alternatives,
    bad_values,
    fuzzed,
    tables_to_watch,
)
from tests.evaluation.factories import consenting_person
from tests.test_authorization_matrix import ROUTES, expected_status, url_for

EXAMPLES = int(os.environ.get("ENTREPAIRS_FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.generate],  # no shrinking: the failing values are printed as they were
    suppress_health_check=list(HealthCheck),
)
PAGES = sorted(
    name for name, route in ROUTES.items() if route.method == "get" and name != "admin:*"
)
PUBLIC_PERSONAS = ("anonymous", "coordinator_a")
FIGURES = Counter()
REFUSED_BASELINES = set()  # forms for which a persona found no submission they accept


def personas_for(route) -> list[str]:
    if route.public:
        return list(PUBLIC_PERSONAS)
    return [
        persona
        for persona in sorted(route.allowed)
        if persona != "anonymous" and expected_status(route, persona) == 200
    ]


def enrich(world):
    """What the create forms offer choices from: published instruments, a followed person, a
    resource to refer to."""
    load_builtin_instruments()
    consenting_person(world, "a")
    ResourceFactory(organisation=world.org_a)


ID = st.one_of(st.integers(-(2**80), 2**80).map(str), st.text(max_size=12))


def bad_strategy(f):
    if f.kind == "file":
        return st.sampled_from(sorted(BAD_FILES)).map(lambda name: ("file", name))
    if f.is_choice:
        offered = [v for v in f.options if v]
        single = st.sampled_from(BAD_CHOICES).map(lambda v: [v]) | ID.map(lambda v: [v])
        if f.multiple or f.kind == "checkbox":
            mixed = st.lists(st.sampled_from(offered) | ID, min_size=1, max_size=4)
            return single | mixed if offered else single
        return single
    if f.kind == "number":
        generated = (
            st.integers(-(10**40), 10**40).map(str) | st.floats().map(repr) | st.text(max_size=12)
        )
        return st.sampled_from(BAD_NUMBERS).map(lambda v: [v]) | generated.map(lambda v: [v])
    if f.kind == "date":
        generated = st.dates().map(lambda d: d.isoformat()) | st.text(max_size=12)
        return st.sampled_from(BAD_DATES).map(lambda v: [v]) | generated.map(lambda v: [v])
    return st.sampled_from(BAD_TEXT).map(lambda v: [v]) | st.text(max_size=300).map(lambda v: [v])


def sweep(explorer, target, findings, tables):
    for name, f in target.form.fields.items():
        if not fuzzed(name, f):
            continue
        for value in bad_values(f):
            findings.check(explorer, target, {**target.baseline, name: value}, tables)
        if f.kind == "date" and target.form.method == "post":
            findings.check_date_refused(explorer, target, name, tables)


def fuzz(explorer, target, findings, tables):
    fields = target.form.fields
    names = [n for n, f in fields.items() if fuzzed(n, f)]
    if not names:
        return

    @FUZZ
    @given(st.data())
    def run(data):
        values = dict(target.baseline)
        for name, f in fields.items():
            if f.is_choice and name in names and data.draw(st.integers(0, 4)) == 0:
                others = alternatives(f)
                if others:
                    values[name] = data.draw(st.sampled_from(others))
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        for name in chosen:
            values[name] = data.draw(bad_strategy(fields[name]))
        failure = findings.check(explorer, target, values, tables)
        assert not failure, failure

    try:
        run()
    except AssertionError:
        pass  # already in findings; go on with the other forms


@pytest.mark.parametrize("name", PAGES)
def test_bad_values_never_break_a_form_nor_half_save(world, name):
    route = ROUTES[name]
    enrich(world)
    tables = tables_to_watch()
    findings = Findings()
    forms, swept = 0, set()
    for persona in personas_for(route):
        explorer = Explorer(world, route, persona, world.client(persona), url_for)
        for target in explorer.discover():
            forms += 1
            key = f"{target.action_name} {target.form.method}"
            FIGURES[key] += 1
            if not target.accepted:
                REFUSED_BASELINES.add(key)
            if target.signature not in swept:  # once per form, whoever sees it
                swept.add(target.signature)
                sweep(explorer, target, findings, tables)
            fuzz(explorer, target, findings, tables)
        findings.requests += explorer.requests
    FIGURES["forms"] += forms
    FIGURES["examples"] += findings.examples
    FIGURES["requests"] += findings.requests
    FIGURES["pages"] += 1
    problems = findings.problems
    assert not problems, f"{len(problems)} problème(s) :\n" + "\n".join(problems[:20])


def test_figures_of_the_fuzzing():
    """Runs last in its file (``--dist loadfile`` keeps a file in one worker, in order)."""
    if FIGURES["pages"] < len(PAGES):
        pytest.skip("only part of the pages ran")
    print(
        f"\nFormulaires : {FIGURES['forms']} (formulaire × persona) sur {len(PAGES)} pages ; "
        f"exemples envoyés : {FIGURES['examples']} ; requêtes : {FIGURES['requests']}"
    )
    for key, count in sorted(FIGURES.items()):
        if " " in key:
            note = " (refusé pour au moins un persona)" if key in REFUSED_BASELINES else ""
            print(f"  {key}: {count}{note}")
    distinct = sum(1 for key in FIGURES if " " in key)
    assert distinct >= 40, f"seulement {distinct} formulaires distincts trouvés"
