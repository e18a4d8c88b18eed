"""Bad input on the evaluation pages: public answers, the stays CSV, FHIR imports, campaigns.

Each test posts what an attacker (or a clumsy export) sends and checks what the person sees: a
French message, nothing stored, never a 500. They run on SQLite and on PostgreSQL, which is
stricter (NUL bytes, integer ranges).
"""

import datetime
import io
import json
import math
from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entrepairs.accompaniment.models import Person
from entrepairs.evaluation.definitions import InstrumentDefinitionError, builtin_definitions
from entrepairs.evaluation.fhir import from_questionnaire, to_questionnaire
from entrepairs.evaluation.models import (
    AnonymousResponse,
    Campaign,
    HospitalStay,
    Instrument,
    InstrumentVersion,
    LinkedResponse,
)
from entrepairs.evaluation.publishing import publish
from entrepairs.evaluation.scoring import scale_range, score_response
from entrepairs.evaluation.stays import parse_stays
from tests.evaluation.test_answering import draft_of

from .factories import builtin, campaign, consenting_person, invitation

# satisfaction-personnes: 1–3 yes/partly/no, 4 single choice, 5 zero to ten, 6 free text.
FIRST_FOUR = [("understood", "yes"), ("confidence", "yes"), ("future", "no"), ("relatives", "no")]
HUGE_NUMBER = "9" * 5000


def answer_until(client, url, answers):
    """Answer in turn as a browser does; return the draft the page carries (anonymous: in
    the page; linked: on the server, so "")."""
    draft = ""
    for step, (code, value) in enumerate(answers, start=1):
        response = client.post(url, {"q": step, code: value, "action": "next", "draft": draft})
        assert response.status_code in (200, 302), (step, response.status_code)
        if response.status_code == 302 and "?q=" in response["Location"]:
            response = client.get(response["Location"])
        assert "alert-danger" not in response.content.decode(), step
        draft = draft_of(response) or draft
    return draft


# Public answers -------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["²", "٣", "½", HUGE_NUMBER, "-1", "11", " 1 0 ", "1e1", "0x5"])
def test_a_zero_to_ten_answer_that_is_not_a_plain_number_is_refused(world, client, value):
    _inv, token = invitation(world)
    url = reverse("evaluation:answer", args=[token])
    draft = answer_until(client, url, FIRST_FOUR)
    response = client.post(url, {"q": 5, "overall": value, "action": "next", "draft": draft})
    assert response.status_code == 400
    assert "Choisissez un nombre entre 0 et 10." in response.content.decode()
    answer_until(client, url, [*FIRST_FOUR, ("overall", "7")])  # answering goes on


@pytest.mark.parametrize("linked", [False, True], ids=["anonymous", "linked"])
def test_a_free_text_answer_with_a_nul_byte_is_refused_and_nothing_is_stored(world, client, linked):
    _inv, token = invitation(world, linked=linked)
    url = reverse("evaluation:answer", args=[token])
    draft = answer_until(client, url, [*FIRST_FOUR, ("overall", "7")])
    drafts_before = list(LinkedResponse.objects.values_list("answers", flat=True))
    response = client.post(
        url, {"q": 6, "comment": "merci\x00 beaucoup", "action": "next", "draft": draft}
    )
    assert response.status_code == 400
    assert "caractère" in response.content.decode()
    assert not AnonymousResponse.objects.exists()
    assert list(LinkedResponse.objects.values_list("answers", flat=True)) == drafts_before
    assert not LinkedResponse.objects.filter(completed_at__isnull=False).exists()


# Stays CSV ------------------------------------------------------------------------------------
HEADER = "reference_personne;date_entree;date_sortie;mode_legal\n"


def post_stays(world, content: bytes):
    upload = io.BytesIO(content)
    upload.name = "sejours.csv"
    return world.client("coordinator_a").post(reverse("evaluation:stays_import"), {"file": upload})


@pytest.fixture
def previous_stay(world):
    """A stay already imported: a refused file must leave it in place."""
    person = consenting_person(world)
    return HospitalStay.objects.create(
        organisation=world.org_a,
        person=person,
        admission=datetime.date(2025, 1, 1),
        discharge=datetime.date(2025, 1, 5),
        legal_mode="SL",
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("²;2025-01-01;2025-01-02;SL", "référence de personne inconnue"),
        (f"{HUGE_NUMBER};2025-01-01;2025-01-02;SL", "ligne trop longue"),
        (f"{'9' * 30};2025-01-01;2025-01-02;SL", "référence de personne inconnue"),
        ("{pk};0001-01-01;2025-01-02;SL", "date d'entrée hors des dates possibles"),
        ("{pk};2025-01-01;9999-12-31;SL", "date de sortie hors des dates possibles"),
        ("{pk};2025-01-01;2025-01-02;" + "S" * 200_000, "trop longue"),
        ('{pk};"2025-01-01' + "x" * 200_000, "trop longue"),
        ("{pk};2025-01-01\x00;2025-01-02;SL", "caractère nul"),
    ],
    ids=[
        "superscript",
        "5000-digits",
        "30-digits",
        "year-1",
        "year-9999",
        "field-200k",
        "quote-200k",
        "nul",
    ],
)
def test_a_bad_stays_file_is_refused_line_by_line_and_changes_nothing(
    world, previous_stay, line, message
):
    content = (HEADER + line.replace("{pk}", str(previous_stay.person_id)) + "\n").encode()
    response = post_stays(world, content)
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "Ligne 2" in page and message in page
    assert list(HospitalStay.objects.values_list("pk", flat=True)) == [previous_stay.pk]


def test_a_stays_file_that_is_not_text_is_refused(world, previous_stay):
    response = post_stays(world, b"\xff\xfe\x00\x00garbage")
    assert "UTF-8" in response.content.decode()
    assert HospitalStay.objects.count() == 1


# FHIR import ----------------------------------------------------------------------------------
def post_fhir(world, payload):
    upload = io.BytesIO(payload if isinstance(payload, bytes) else json.dumps(payload).encode())
    upload.name = "questionnaire.json"
    return world.client("coordinator_a").post(
        reverse("evaluation:instrument_import"), {"file": upload, "rights": "on"}
    )


def who5_questionnaire(code="import-test"):
    definition = dict(builtin("who-5").definition)
    definition["code"] = code
    return to_questionnaire(definition)


def with_extension(resource, name, **value):
    url = f"https://entrepairs.fr/fhir/StructureDefinition/{name}"
    resource["extension"] = [e for e in resource["extension"] if e["url"] != url]
    resource["extension"].append({"url": url, **value})
    return resource


def deep(depth):
    return ("[" * depth + "]" * depth).encode()


def nested_groups(depth) -> bytes:
    """Groups within groups, written by hand (json.dumps itself would recurse too deep)."""
    resource = who5_questionnaire()
    item = '{"linkId": "q", "type": "string", "text": "Une question"}'
    opening = '{"linkId": "g", "type": "group", "text": "Groupe", "item": ['
    resource["item"] = ["ITEMS"]
    items = opening * depth + item + "]}" * depth
    return json.dumps(resource).replace('"ITEMS"', items).encode()


def first_option_score(resource, **value):
    option = resource["item"][0]["answerOption"][0]
    option["extension"] = [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", **value}]
    return resource


BAD_QUESTIONNAIRES = {
    "100000-deep-json": lambda: deep(100_000),
    "100000-deep-object": lambda: ('{"a":' * 100_000 + "1" + "}" * 100_000).encode(),
    "900-deep-groups": lambda: nested_groups(900),
    "scoring-not-json": lambda: with_extension(
        who5_questionnaire(), "scoring", valueString="{pas du json"
    ),
    "scoring-not-a-string": lambda: with_extension(who5_questionnaire(), "scoring", valueInteger=5),
    "scoring-not-a-list": lambda: with_extension(
        who5_questionnaire(), "scoring", valueString='{"a": 1}'
    ),
    "scoring-huge-multiplier": lambda: with_extension(
        who5_questionnaire(),
        "scoring",
        valueString=json.dumps(
            [{"code": "s", "label": "S", "items": ["q1"], "method": "sum", "multiply": 1e308}]
        ),
    ),
    "score-not-a-number": lambda: first_option_score(who5_questionnaire(), valueString="abc"),
    "score-huge": lambda: first_option_score(who5_questionnaire(), valueDecimal=1e300),
    "nul-in-title": lambda: {**who5_questionnaire(), "title": "Titre\x00 caché"},
    "nul-in-option": lambda: _nul_in_option(),
    "not-utf8": lambda: b"\xff\xfe{}",
    "empty": lambda: b"",
}


def _nul_in_option():
    resource = who5_questionnaire()
    resource["item"][0]["answerOption"][0]["valueCoding"]["display"] = "Tout\x00 le temps"
    return resource


@pytest.mark.parametrize("name", sorted(BAD_QUESTIONNAIRES))
def test_a_malicious_fhir_questionnaire_is_refused_and_nothing_is_created(world, name):
    builtin("who-5")
    before = (Instrument.objects.count(), InstrumentVersion.objects.count())
    response = post_fhir(world, BAD_QUESTIONNAIRES[name]())
    assert response.status_code == 200
    (message,) = response.context["form"].errors["file"]
    expected = "Le fichier soumis est vide." if name == "empty" else "Questionnaire refusé : "
    assert message.startswith(expected), message
    assert (Instrument.objects.count(), InstrumentVersion.objects.count()) == before


def test_the_who5_questionnaire_still_imports(world):
    response = post_fhir(world, who5_questionnaire())
    assert response.status_code == 302
    assert InstrumentVersion.objects.filter(instrument__code="import-test").exists()


# Campaigns ------------------------------------------------------------------------------------
def campaign_data(**changes):
    data = {
        "title": "WHO-5 avant / après",
        "instrument_version": builtin("who-5").pk,
        "mode": "linked",
        "timepoints": ["start"],
        "link_validity_days": "30",
        "opens_on": "2026-01-01",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"opens_on": "0001-01-01"},
        {"opens_on": "9999-12-31"},
        {"closes_on": "9999-12-31"},
        {"timepoints": ["months"], "months_after": "32767"},
        {"link_validity_days": "32767"},
    ],
    ids=["opens-year-1", "opens-year-9999", "closes-year-9999", "months-32767", "validity-32767"],
)
def test_an_implausible_campaign_date_or_duration_is_refused(world, changes):
    response = world.client("coordinator_a").post(
        reverse("evaluation:campaign_create"), campaign_data(**changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Campaign.objects.exists()


def test_a_campaign_stored_with_year_1_still_shows_its_page(world):
    """Rows saved before the rule existed must not break the page for good."""
    consenting_person(world)
    stored = campaign(
        world, code="who-5", mode=Campaign.Mode.LINKED, opens_on=datetime.date(1, 1, 1)
    )
    response = world.client("coordinator_a").get(
        reverse("evaluation:campaign_detail", args=[stored.pk])
    )
    assert response.status_code == 200


# For all inputs ------------------------------------------------------------------------------
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FHIR_KEYS = [
    "type",
    "linkId",
    "text",
    "item",
    "extension",
    "url",
    "valueString",
    "valueDecimal",
    "valueInteger",
    "valueCoding",
    "answerOption",
    "maxLength",
    "required",
    "repeats",
    "title",
    "version",
    "identifier",
    "code",
    "display",
]
SCALE_KEYS = ["code", "label", "items", "method", "multiply", "add", "bands", "max", "below"]


def mutate(data, tree, keys):
    """Replace, add or delete one value somewhere in ``tree`` (in place)."""
    node = tree
    while True:
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        containers = [(k, v) for k, v in children if isinstance(v, dict | list) and v]
        if not containers or data.draw(st.integers(0, 2)) == 0:
            break
        node = data.draw(st.sampled_from(containers))[1]
    if isinstance(node, dict):
        key = data.draw(st.sampled_from(sorted(set(node) | set(keys))))
        if key in node and data.draw(st.booleans()):
            del node[key]
        else:
            node[key] = data.draw(JSON)
    elif node:
        node[data.draw(st.integers(0, len(node) - 1))] = data.draw(JSON)


@settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(st.data())
def test_any_altered_questionnaire_is_imported_or_refused_in_french(db, data):
    """Whatever a file holds, the import says why it refuses it, or the instrument is stored
    and can be scored and shown (on PostgreSQL too: no NUL, no number out of range)."""
    definition = dict(builtin_definitions()["who-5"])
    definition["code"] = f"alteration-{data.draw(st.integers(0, 10**6))}"
    resource = to_questionnaire(definition)
    scoring = next(e for e in resource["extension"] if e["url"].endswith("/scoring"))
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(["resource", "scales", "scoring"]))
        if where == "resource":
            mutate(data, resource, FHIR_KEYS)
        elif where == "scales" and isinstance(scoring.get("valueString"), str):
            try:
                scales = json.loads(scoring["valueString"])
            except ValueError:
                continue
            if isinstance(scales, list | dict) and scales:
                mutate(data, scales, SCALE_KEYS)
            scoring["valueString"] = json.dumps(scales)
        else:
            scoring.pop("valueString", None)
            scoring[data.draw(st.sampled_from(["valueString", "valueInteger"]))] = data.draw(JSON)
    payload = json.dumps(resource) if data.draw(st.booleans()) else resource
    try:
        imported = from_questionnaire(payload)
    except InstrumentDefinitionError as exc:
        assert str(exc)
        return
    try:
        with transaction.atomic():
            version, _created = publish(imported, origin=InstrumentVersion.Origin.FHIR)
    except InstrumentDefinitionError:
        return
    version.refresh_from_db()
    stored = json.dumps(version.definition, allow_nan=False)  # what PostgreSQL accepts
    assert "\\u0000" not in stored
    for scale in imported["scales"]:
        low, high = scale_range(imported, scale)
        assert math.isfinite(low) and math.isfinite(high)
    first = {
        i["code"]: (i["options"][0]["code"] if i.get("options") else "1") for i in imported["items"]
    }
    for result in score_response(imported, first).values():
        assert result is None or math.isfinite(result["score"])


CELLS = st.sampled_from(
    ["PK", "²", "9" * 30, "", "0001-01-01", "9999-12-31", "2025-01-01", "01/02/2025", "SL", "x\x00"]
) | st.text(max_size=12)


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    lines=st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=6),
    separator=st.sampled_from([";", ",", "\t"]),
    header=st.booleans(),
)
def test_any_stays_file_gives_rows_or_reasons_never_an_exception(world, lines, separator, header):
    person = Person.objects.filter(organisation=world.org_a).first() or consenting_person(world)
    body = "\n".join(separator.join(cells) for cells in lines).replace("PK", str(person.pk))
    text = (HEADER if header else "") + body
    rows, errors = parse_stays(text.encode("utf-8"), world.org_a)
    assert not (rows and errors)
    for row in rows:
        assert row.person_id == person.pk
        assert datetime.date(1900, 1, 1) <= row.admission <= row.discharge <= date.today()
    assert all(isinstance(e, str) and e for e in errors)
