import pytest

from .personas import build_world


@pytest.fixture
def world(db):
    """Two organisations with one persona per role (see tests/personas.py)."""
    return build_world()
