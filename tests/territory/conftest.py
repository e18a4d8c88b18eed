import pytest
from django.core.management import call_command

from .files import reference_dir


@pytest.fixture
def mini_reference(tmp_path):
    return reference_dir(tmp_path / "reference")


@pytest.fixture
def mini_territory(db, mini_reference):
    """The small reference files imported: 3 regions, 3 départements, 7 communes, 2 establishments."""
    call_command("import_territory", dir=mini_reference, verbosity=0)
    call_command("import_sae", dir=mini_reference, verbosity=0)
    return mini_reference


from tests.browser.conftest import browser, page, phone_page  # noqa: E402, F401
