"""Every page that opens for someone, at 320 px: nothing wider than the screen.

The pages are those of the authorization matrix (tests/<app>/authz.py): each GET route that
answers 200 with HTML is opened once, as the first persona it lets in, with published
observatory figures (hidden ones included). A page wider than the screen fails with the
culprits: text that runs past the right edge (a nowrap phrase, a long word, a number with
narrow no-break spaces) and elements whose content overflows their own box (a `min-width`, a
`.row`'s negative margins), outside any scrolling region — the bounding boxes alone once
missed a 4 px overflow.
"""

import pytest

from tests.observatory.test_pages_browser import publish
from tests.test_authorization_matrix import ROUTES, url_for

from .test_every_page import signed_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320
# Who opens each page: the first persona of this order that the route lets in.
ORDER = [
    "coordinator_a",
    "director_a",
    "peer_a",
    "professional_a",
    "regional_observer",
    "national_observer",
    "admin",
]

# The text and boxes past the screen's right edge, outside scrolling regions and hidden text.
CULPRITS = """(width) => {
  const clipped = (el) => {
    for (let n = el; n && n !== document.documentElement; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.overflowX !== 'visible' || s.display === 'none' || s.visibility === 'hidden'
          || s.clip !== 'auto' || s.clipPath !== 'none') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode()) && found.length < 8) {
    if (!node.textContent.trim() || clipped(node.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.right > width + 0.5) {
        found.push(`texte « ${node.textContent.trim().slice(0, 40)} » dans ${name(node.parentElement)} jusqu'à ${Math.round(rect.right)} px`);
        break;
      }
    }
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (found.length >= 12) break;
    const rect = el.getBoundingClientRect();
    if (rect.width && rect.right > width + 0.5 && !clipped(el.parentElement || el)) {
      found.push(`${name(el)} de ${Math.round(rect.left)} à ${Math.round(rect.right)} px (min-width ${getComputedStyle(el).minWidth})`);
    }
  }
  return found;
}"""


def pages_to_visit(world):
    """(persona, url) for every GET route that answers 200 with HTML to one of its personas."""
    visits = []
    for name, route in sorted(ROUTES.items()):
        if route.method != "get" or route.token_scope or name == "admin:*":
            continue
        persona = (
            "anonymous"
            if route.public
            else next(
                (p for p in ORDER if p in route.allowed and route.status.get(p, 200) == 200), None
            )
        )
        if persona is None or route.ok_status != 200:
            continue
        url = url_for(route, world, "a")
        response = world.client(persona).get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            visits.append((persona, url))
    return visits


def test_no_page_is_wider_than_a_320_px_screen(browser, live_server, world):
    publish(world)
    visits = pages_to_visit(world)
    assert len(visits) > 60, visits  # the crawl really covers the product
    pages = {}
    failures = []
    for persona, url in visits:
        if persona not in pages:
            if persona == "anonymous":
                context = browser.new_context(
                    base_url=live_server.url,
                    locale="fr-FR",
                    bypass_csp=True,
                    viewport={"width": WIDTH, "height": 640},
                )
                pages[persona] = context.new_page()
            else:
                pages[persona] = signed_in_context(browser, live_server, world, persona, WIDTH)
        page = pages[persona]
        page.goto(url)
        page.wait_for_load_state()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > WIDTH:
            culprits = page.evaluate(CULPRITS, WIDTH)
            failures.append(f"{url} ({persona}) : {width} px\n    " + "\n    ".join(culprits))
    for page in pages.values():
        page.context.close()
    assert not failures, f"{len(failures)} pages plus larges que {WIDTH} px :\n" + "\n".join(
        failures
    )
