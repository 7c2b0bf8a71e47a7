"""Helpers shared by the browser tests: axe-core checks and keyboard navigation."""

from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# "url · rule (impact): help", for findings below FAILING_IMPACTS; listed at the end of the run.
AXE_MINOR_FINDINGS: set[str] = set()


def check_axe(page, context: str = "document") -> list[dict]:
    """Runs axe-core on the current page and fails on any serious or critical violation,
    naming the rule, its impact, what it asks for and the offending elements. Lesser findings
    are returned (and listed at the end of the run) but do not fail."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # From the server itself, as a file: the CSP (script-src 'self') refuses inline code.
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    violations = page.evaluate(
        """async (context) => {
            const results = await axe.run(context === 'document' ? document : context,
                                          {resultTypes: ['violations']});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.map((n) => n.target.join(' ')),
                html: v.nodes.map((n) => n.html),
            }));
        }""",
        context,
    )
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    for v in violations:
        if v not in failing:
            AXE_MINOR_FINDINGS.add(f"{page.url} · {v['id']} ({v['impact']}): {v['help']}")
    if failing:
        lines = [f"axe-core: {len(failing)} serious/critical violation(s) on {page.url}"]
        for v in failing:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            for target, html in zip(v["targets"], v["html"], strict=True):
                lines.append(f"    {target}  {html[:160]}")
        pytest.fail("\n".join(lines), pytrace=False)
    return violations


def active_element(page) -> dict:
    """What has the keyboard focus: tag, id, name, type, value, text and outline style."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return null;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                type: el.getAttribute('type'), value: el.value === undefined ? null : el.value,
                text: (el.innerText || el.textContent || '').trim().slice(0, 80),
                outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
            };
        }"""
    )


def tab_to(page, selector: str, max_presses: int = 120) -> dict:
    """Presses Tab until the element matching ``selector`` has the focus; fails if it never
    gets it. Returns ``active_element``."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(selector) => { const el = document.activeElement;"
            " return !!el && el.matches(selector); }",
            selector,
        ):
            return active_element(page)
    pytest.fail(f"{selector} never got the focus after {max_presses} Tab presses", pytrace=False)


def wait_until_idle(page) -> None:
    """Waits for the directory's script to finish updating the results, if it is updating."""
    page.wait_for_function(
        "() => !document.querySelector('[aria-busy=\"true\"]')", polling=50, timeout=10_000
    )
