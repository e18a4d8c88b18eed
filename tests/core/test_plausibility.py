"""The shared plausibility rules (core.validators, core.forms, core.lookups), for all inputs."""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

import entrepairs
from entrepairs.accompaniment.models import Person
from entrepairs.core.forms import DurationField, PlausibleFormMixin, describe_duration
from entrepairs.core.validators import (
    EARLIEST_DATE,
    PAST_DATE,
    PLAUSIBLE_DATE,
    DateRule,
    whole_number,
    years_after,
)
from entrepairs.territory.models import Facility


# Dates ---------------------------------------------------------------------------------------
@settings(deadline=None, derandomize=True)
@given(st.dates())
def test_a_date_is_plausible_exactly_between_1900_and_ten_years_ahead(day):
    latest = years_after(timezone.localdate(), 10)
    assert (PLAUSIBLE_DATE.problem(day) == "") == (EARLIEST_DATE <= day <= latest)
    assert (PAST_DATE.problem(day) == "") == (EARLIEST_DATE <= day <= timezone.localdate())


@settings(deadline=None, derandomize=True)
@given(st.dates(), st.integers(0, 50))
def test_every_refusal_says_the_bounds_in_french(day, years):
    problem = DateRule(years_ahead=years).problem(day)
    if problem and years == 0 and day > timezone.localdate():
        assert problem == "La date ne peut pas être dans le futur."
    elif problem:
        assert problem.startswith("La date doit être comprise entre le 01/01/1900 et ")


def test_a_date_in_the_past_only_can_say_what_it_is():
    rule = DateRule(years_ahead=0, future_message="Une séance future ne peut pas être enregistrée.")
    assert (
        rule.problem(datetime.date(2999, 1, 1)) == "Une séance future ne peut pas être enregistrée."
    )
    assert rule.problem(datetime.date(1, 1, 1)) == (
        "La date doit être comprise entre le 01/01/1900 et aujourd'hui."
    )


class DatesForm(PlausibleFormMixin, forms.Form):
    day = forms.DateField()
    planned = forms.DateField(required=False)
    date_rules = {"planned": DateRule(years_ahead=2)}


@pytest.mark.parametrize(
    ("day", "planned", "errors"),
    [
        ("2020-05-04", "", set()),
        ("0001-01-01", "", {"day"}),
        ("9999-12-31", "", {"day"}),
        ("1899-12-31", "", {"day"}),
        ("2020-05-04", "9999-12-31", {"planned"}),
        ("2024-02-30", "", {"day"}),
        ("²", "", {"day"}),
    ],
)
def test_a_form_with_the_mixin_refuses_implausible_dates(day, planned, errors):
    form = DatesForm({"day": day, "planned": planned})
    assert set(form.errors) == errors
    for field in errors:
        assert form.errors[field][0].startswith(("La date doit être", "Saisissez une date"))


def test_the_rule_is_added_once_however_often_the_form_is_validated():
    form = DatesForm({"day": "2020-05-04"})
    for _ in range(3):
        form.full_clean()
    assert sum(isinstance(v, DateRule) for v in form.fields["day"].validators) == 1


# Whole numbers and durations -----------------------------------------------------------------
@settings(deadline=None, derandomize=True)
@given(st.text(max_size=30) | st.integers().map(str) | st.sampled_from(["²", "٣", "9" * 5000]))
def test_whole_number_never_raises_and_takes_plain_digits_only(text):
    value = whole_number(text, low=0, high=10)
    stripped = text.strip()
    plain = stripped.isascii() and stripped.isdigit() and len(stripped) <= 18
    assert (value is not None) == (plain and 0 <= int(stripped) <= 10)


class NumbersForm(PlausibleFormMixin, forms.Form):
    free = forms.IntegerField(required=False)
    minutes = DurationField(max_value=720, required=False)
    weeks = DurationField(unit="weeks", max_value=52, required=False)


@settings(deadline=None, derandomize=True)
@given(st.integers(-(10**40), 10**40) | st.sampled_from([2**31, -(2**31) - 1, 2**31 - 1]))
def test_a_free_integer_field_never_lets_through_what_a_column_cannot_hold(number):
    form = NumbersForm({"free": str(number)})
    assert form.is_valid() == (-(2**31) <= number <= 2**31 - 1)


@settings(deadline=None, derandomize=True)
@given(st.integers(-1000, 1000))
def test_a_duration_is_accepted_exactly_within_its_bounds(minutes):
    form = NumbersForm({"minutes": str(minutes)})
    assert form.is_valid() == (1 <= minutes <= 720)
    if not form.is_valid():
        assert form.errors["minutes"] == [
            "La durée doit être comprise entre 1 minute et 12 heures (720 minutes)."
        ]


@pytest.mark.parametrize("value", ["²", "9" * 5000, "1e3", "NaN", "une heure"])
def test_a_duration_that_is_not_a_number_gets_one_message(value):
    form = NumbersForm({"weeks": value})
    assert form.errors["weeks"] == ["Saisissez la durée en semaines (un nombre entier)."]


def test_durations_read_as_people_say_them():
    assert describe_duration(1, "minutes") == "1 minute"
    assert describe_duration(90, "minutes") == "90 minutes"
    assert describe_duration(480, "minutes") == "8 heures (480 minutes)"
    assert describe_duration(60, "months") == "60 mois"


# Ids -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("huge", [10**29, -(10**29), 2**63])
def test_an_id_no_column_can_hold_matches_nothing_instead_of_crashing(world, huge):
    assert list(Person.objects.filter(pk__in=[huge])) == []
    assert list(Facility.objects.filter(pk__in=[huge, world.facility_a.pk])) == [world.facility_a]


def test_a_30_digit_id_in_a_multiple_choice_is_a_form_error(world):
    class Choice(PlausibleFormMixin, forms.Form):
        facilities = forms.ModelMultipleChoiceField(queryset=Facility.objects.all())

    form = Choice({"facilities": [str(world.facility_a.pk), "1" + "0" * 29]})
    assert "facilities" in form.errors


# Every form of the project -------------------------------------------------------------------
def project_forms():
    found = {}
    for module_info in pkgutil.walk_packages(entrepairs.__path__, "entrepairs."):
        if ".migrations" in module_info.name or ".management" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = value
    return found


def test_every_form_of_the_project_has_the_plausibility_rules():
    classes = project_forms()
    assert len(classes) >= 30, sorted(classes)
    missing = sorted(
        name for name, cls in classes.items() if not issubclass(cls, PlausibleFormMixin)
    )
    assert not missing, f"Formulaires sans PlausibleFormMixin (core.forms) : {missing}"


def test_core_forms_import_nothing_above_core():
    for module in (
        "entrepairs.core.forms",
        "entrepairs.core.validators",
        "entrepairs.core.lookups",
    ):
        source = inspect.getsource(importlib.import_module(module))
        imports = [line for line in source.splitlines() if line.startswith(("from ", "import "))]
        assert all("entrepairs" not in line or "entrepairs.core" in line for line in imports)


def test_years_after_a_29_february():
    assert years_after(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
