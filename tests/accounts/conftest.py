from tests.browser.conftest import browser, page, phone_page, sized_page  # noqa: F401
