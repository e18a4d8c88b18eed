"""Run axe-core in the page and fail on any violation (WCAG 2.1 A/AA and best practices)."""

from .conftest import AXE_JS


def assert_no_axe_violations(page):
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
        })"""
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} → "
        + ", ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert not violations, f"Violations axe sur {page.url} :\n" + "\n".join(violations)
