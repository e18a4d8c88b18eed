"""Reach a header menu entry the way a person does.

The header menu groups its entries into Bootstrap dropdowns, and below 992 px the whole menu
sits behind the "Menu" toggler: open the toggler when it shows, then the group holding the
entry, then click the entry.
"""


def open_menu_entry(page, name, *, group=None):
    """Click the header menu entry called ``name`` (in ``group``, when several groups hold it)."""
    nav = page.get_by_role("navigation", name="Navigation principale")
    toggler = nav.get_by_role("button", name="Menu", exact=True)
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        nav.locator("#menu.show").wait_for()
    groups = nav.locator("li.dropdown")
    if group is not None:
        holder = groups.filter(has=page.get_by_role("button", name=group)).first
    else:
        holder = groups.filter(
            has=page.get_by_role("link", name=name, exact=True, include_hidden=True)
        ).first
    button = holder.locator("> .dropdown-toggle")
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    entry = holder.get_by_role("link", name=name, exact=True)
    entry.click()
