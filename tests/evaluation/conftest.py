import pytest

from tests.browser.conftest import browser, page, phone_page, sized_page  # noqa: F401


@pytest.fixture
def instruments(db):
    """The four built-in instruments, published: {code: InstrumentVersion}."""
    from entrepairs.evaluation.publishing import load_builtin_instruments

    return {v.instrument.code: v for v, _ in load_builtin_instruments()}
