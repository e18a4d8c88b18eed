"""Schemathesis over the whole OpenAPI description, in-process through the WSGI application.

Every generated request (valid and invalid parameters) is sent without a token and with a
token of each scope, and of every scope at once, of org A; every answer must: not be a server
error, have a documented status, content type, headers and body (schemathesis' checks), and
carry nothing of org B (``no_data_of_another_organisation``). Derandomized and bounded, so
that CI stays fast; the count of calls is printed (``-s``) and asserted.
"""

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from config.wsgi import application
from entrepairs.accompaniment.models import ConsentPurpose, Person
from entrepairs.api.models import Scope
from entrepairs.evaluation.models import AnonymousResponse, InstrumentVersion, LinkedResponse
from entrepairs.evaluation.publishing import publish
from tests.evaluation.factories import builtin
from tests.evaluation.test_outcomes import anonymous
from tests.factories import PeerWorkerFactory
from tests.groups.factories import GroupFactory, GroupSessionFactory
from tests.institution.factories import ActivityFactory
from tests.workforce.factories import ContractFactory, TrainingFactory

from .conftest import issue_token

MARK = "MARQUEUR-B"  # in every text of org B's data
ORG_B_TEXTS = (MARK, "CH Bêta", "CMP Bêta")
EXAMPLES_PER_OPERATION = 8
CALLS = {"n": 0}
IDENTITIES = {}


@pytest.fixture
def fuzz_world(world):
    """Data in both organisations; org B's texts carry the marker."""
    who5 = builtin("who-5")
    for org in ("a", "b"):
        label = "Alpha" if org == "a" else MARK
        group = GroupFactory(
            organisation=world.org(org), facility=world.facility(org), name=f"Groupe {label}"
        )
        GroupSessionFactory(group=group, peers=[world.peer(f"peer_{org}")])
        ActivityFactory(organisation=world.org(org), title=f"Action {label}")
        peer = PeerWorkerFactory(employer=world.org(org), last_name=f"Pair {label}")
        ContractFactory(peer=peer)
        TrainingFactory(peer=peer, title=f"Formation {label}", provider=f"Organisme {label}")
        anonymous(world, org, "who-5", dict.fromkeys(["q1", "q2", "q3", "q4", "q5"], "3"), n=12)
    publish(
        {**who5.definition, "code": "maison-b", "title": f"Questionnaire {MARK}"},
        organisation=world.org_b,
    )
    IDENTITIES.clear()
    IDENTITIES["sans jeton"] = None
    for scopes in [[s] for s in Scope] + [list(Scope)]:
        _token, secret = issue_token(world, "a", scopes, name="+".join(scopes))
        IDENTITIES["+".join(scopes)] = secret
    return world


@pytest.fixture
def api_schema(fuzz_world):
    """The description, loaded through the WSGI application. Requests then run in this test's
    transaction: as Django's test client does, the end of a request must not close the
    database connection (on PostgreSQL that would end the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def releasable_count(organisation_id, version_id) -> int:
    """What the FHIR rules let out for org A (see api/views/fhir.py), to compare with."""
    version = InstrumentVersion.objects.filter(pk=version_id).first()
    if version is None:
        return 0
    consenting = (
        Person.objects.filter(organisation_id=organisation_id)
        .active()
        .with_consent(ConsentPurpose.EVALUATION)
    )
    n = AnonymousResponse.objects.filter(
        organisation_id=organisation_id, instrument_version=version
    ).count()
    n += (
        LinkedResponse.objects.completed()
        .filter(instrument_version=version, person__in=consenting)
        .count()
    )
    return n if n >= settings.SMALL_CELL_THRESHOLD else 0


@schemathesis.check
def no_data_of_another_organisation(ctx, response, case):
    """Token answers hold no text of org B; FHIR answers count only org A's answers."""
    if (
        "authorization" not in {k.lower() for k in (case.headers or {})}
        or response.status_code != 200
    ):
        return None
    body = response.text
    for text in ORG_B_TEXTS:
        if text in body:
            raise AssertionError(f"donnée d'une autre organisation : {text!r}")
    if case.path.endswith("/QuestionnaireResponse/"):
        data = response.json()
        from entrepairs.territory.models import Organisation

        org_a = Organisation.objects.get(name="EPSM Alpha")
        expected = releasable_count(org_a.pk, case.query["questionnaire"])
        if data["total"] != expected:
            raise AssertionError(f"{data['total']} réponses au lieu de {expected}")
    return True


def operations(api_schema):
    return [result.ok() for result in api_schema.get_all_operations()]


def check_with_every_identity(case):
    """The identity's header is given explicitly (so that schemathesis knows it is a real
    token) and also put into the case: schemathesis then judges the request actually sent (a
    negated Authorization replaced by a real token is no longer negative), and
    ``no_data_of_another_organisation`` sees that a token was sent."""
    generated = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    for secret in IDENTITIES.values():
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        case.headers = {**generated, **headers}
        CALLS["n"] += 1
        case.call_and_validate(headers=headers, additional_checks=[no_data_of_another_organisation])


def test_api_answers_as_described(fuzz_world, api_schema):
    """Each operation, valid then invalid parameters (schemathesis' strategies driven by
    Hypothesis here: its pytest plugin does not run under pytest 9 yet)."""
    CALLS["n"] = 0
    ops = operations(api_schema)
    for operation in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                derandomize=True,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                check_with_every_identity(case)

            run()
    print(f"\nschemathesis : {len(ops)} opérations, {CALLS['n']} appels")
    assert len(ops) == 13
    assert CALLS["n"] >= len(ops) * len(IDENTITIES) * 2


def test_fhir_responses_with_real_identifiers(fuzz_world, api_schema):
    """The generated identifiers rarely name a real questionnaire: these do (org A's
    built-in ones, org B's own), through the same checks."""
    operation = api_schema["/api/v1/fhir/QuestionnaireResponse/"]["GET"]
    ids = list(InstrumentVersion.objects.values_list("pk", flat=True))
    totals = []
    for pk in ids:
        for secret in IDENTITIES.values():
            case = operation.Case(query={"questionnaire": pk})
            headers = {"Authorization": f"Bearer {secret}"} if secret else {}
            response = case.call_and_validate(
                headers=headers, additional_checks=[no_data_of_another_organisation]
            )
            if response.status_code == 200:
                totals.append(response.json()["total"])
    assert 12 in totals  # org A's 12 answers to WHO-5 left; org B's never did
