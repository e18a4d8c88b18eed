from tests.browser.conftest import (  # noqa: F401
    audit_triggers_allow_flush,
    browser,
    page,
    phone_page,
)
