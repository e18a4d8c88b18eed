from tests.browser.conftest import browser, page, phone_page  # noqa: F401
