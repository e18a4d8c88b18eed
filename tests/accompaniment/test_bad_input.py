"""Bad input on the accompaniment pages that the form fuzzer found (tests/test_bad_input_fuzz.py)."""

from django.urls import reverse

from .factories import make_person


def test_a_search_with_a_nul_byte_finds_by_the_rest(world):
    """PostgreSQL refuses NUL in a query parameter: the search drops it."""
    person = make_person(world, "a")
    alias = person.alias
    response = world.client("coordinator_a").get(
        reverse("accompaniment:person_list"), {"q": f"{alias[:2]}\x00{alias[2:]}"}
    )
    assert response.status_code == 200
    assert alias in response.content.decode()
