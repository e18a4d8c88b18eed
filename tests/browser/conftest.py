"""Browser journeys: Playwright drives Debian's Chromium; axe-core checks every page visited.

Skipped with a clear reason when Chromium or axe-core is missing, except under CI=true where
their absence fails the run.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    missing = []
    if not os.path.exists(CHROMIUM):
        missing.append("Chromium (paquet Debian chromium)")
    if not AXE_JS.exists():
        missing.append("axe-core (npm ci)")
    if not missing:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"Tests navigateur impossibles en CI : {', '.join(missing)} absent")
    skip = pytest.mark.skip(reason=f"{', '.join(missing)} absent : tests navigateur ignorés")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


_SHARED: dict = {"users": 0}


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run.

    Apps import this fixture into their own conftest, which makes pytest hold one session
    fixture per conftest; a second sync_playwright() in the same thread fails ("Sync API
    inside the asyncio loop"), so they all share the first one, closed by the last user.
    """
    if not _SHARED["users"]:
        from playwright.sync_api import sync_playwright

        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["browser"] = _SHARED["playwright"].chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    _SHARED["users"] += 1
    yield _SHARED["browser"]
    _SHARED["users"] -= 1
    if not _SHARED["users"]:
        _SHARED.pop("browser").close()
        _SHARED.pop("playwright").stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 320 px wide phone screen."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        bypass_csp=True,
        viewport={"width": 320, "height": 640},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(params=[1280, 320], ids=lambda width: f"{width}px")
def sized_page(request, browser, live_server):
    """The same journey on a 1280 px desktop and on a 320 px touch phone; ``page.width`` says
    which."""
    width = request.param
    phone = width < 600
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        bypass_csp=True,
        viewport={"width": width, "height": 640 if phone else 900},
        is_mobile=phone,
        has_touch=phone,
    )
    page = context.new_page()
    page.set_default_timeout(40_000)
    page.width = width
    yield page
    context.close()
