import pytest

from tests.browser.conftest import browser, page, phone_page  # noqa: F401


@pytest.fixture
def instruments(db):
    """The four built-in instruments, published: {code: InstrumentVersion}."""
    from entrepairs.evaluation.publishing import load_builtin_instruments

    return {v.instrument.code: v for v, _ in load_builtin_instruments()}


@pytest.fixture
def removable_audit(transactional_db):
    """Transactional (browser) tests end with a flush, which the append-only triggers of the
    audit tables refuse: lift them for the clean-up only, then put them back."""
    yield
    from importlib import import_module

    from django.db import connection

    triggers = import_module("entrepairs.core.migrations.0002_append_only_triggers")
    with connection.schema_editor() as editor:
        triggers.backward(None, editor)
        editor.execute("DELETE FROM core_accesseventrecord")
        editor.execute("DELETE FROM core_accessevent")
        triggers.forward(None, editor)
