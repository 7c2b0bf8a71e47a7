"""The directory (``/ptce/``): search, filter and open a PTCE, with the mouse and with the
keyboard alone.

Contract of the page: ``<form id="directory-filters" role="search">`` with
``<input type="search" name="q">``, ``<select name="departement">`` (values are codes, labels
"03 — Allier"), theme checkboxes ``<input type="checkbox" name="theme" value="…">`` with a
``<label>`` and a submit button (besides the territory box's, which has a ``formaction``);
results in ``<section id="results">`` with ``<p id="result-count">`` ("12 PTCE") and cards
``article.card`` whose title links to the PTCE.
The page works with or without its script (which updates the results in place): the tests
wait for an update to finish and do not depend on either. Controls placed inside the filter
form but owned by another form (``form="…"`` attribute, e.g. the territory finder) are not
the filter form's and are ignored.
"""

import re

import pytest
from e2e_helpers import check_axe, tab_to, wait_until_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PTCE_NAME = "Atelier d'Art de Vichy"
PTCE_PATH = "/ptce/atelier-dart-de-vichy/"
FORM = "form#directory-filters"
# Inside FORM and owned by it (not by another form through a ``form`` attribute).
OWNED = ':not([form]:not([form="directory-filters"]))'
ONE_RESULT = re.compile(r"^\s*1\s+PTCE\b")
SOME_RESULTS = re.compile(r"^\s*\d[\d\s\u202f\u00a0]*PTCE\b")


def control(selector: str) -> str:
    """CSS selector of the filter form's own controls matching ``selector``."""
    return f"{FORM} :is({selector}){OWNED}"


def card_links(page):
    return page.locator("#results article.card :is(h2, h3) a")


def test_directory_form_and_results_follow_the_contract(page):
    page.goto("/ptce/")
    form = page.locator(f'{FORM}[role="search"]')
    expect(form).to_have_count(1)
    expect(page.locator(control('input[type="search"][name="q"]'))).to_have_count(1)
    expect(page.locator(f'{control("select[name=departement]")} option[value="03"]')).to_have_text(
        re.compile(r"^\s*03\s+—\s+Allier\s*$")
    )
    culture = page.locator(control('input[type="checkbox"][name="theme"][value="culture"]'))
    expect(culture).to_have_count(1)
    expect(page.locator(f'label[for="{culture.get_attribute("id")}"]')).to_have_count(1)
    # One submit button of its own, besides the territory box's (formaction: the territory
    # choice, hidden with JavaScript).
    submits = control('button[type="submit"]:not([formaction]), input[type="submit"]')
    expect(page.locator(submits)).to_have_count(1)
    expect(page.locator("section#results p#result-count")).to_have_text(SOME_RESULTS)
    assert card_links(page).count() > 0
    check_axe(page)


def test_search_filter_and_open_a_ptce_with_the_mouse(page):
    page.goto("/ptce/")
    count = page.locator("#result-count")
    submit = page.locator(control('[type="submit"]:not([formaction])'))

    page.locator(control('input[type="search"][name="q"]')).fill("culture")
    submit.click()
    wait_until_idle(page)
    expect(count).to_have_text(SOME_RESULTS)
    expect(card_links(page).filter(has_text=PTCE_NAME)).to_have_count(1)

    page.locator(control('select[name="departement"]')).select_option("03")
    wait_until_idle(page)
    culture = page.locator(control('input[name="theme"][value="culture"]'))
    page.locator(f'label[for="{culture.get_attribute("id")}"]').click()
    wait_until_idle(page)
    expect(culture).to_be_checked()
    submit.click()
    wait_until_idle(page)

    expect(count).to_have_text(ONE_RESULT)
    expect(card_links(page)).to_have_count(1)
    expect(card_links(page)).to_have_text(PTCE_NAME)
    for param in ("q=culture", "departement=03", "theme=culture"):
        assert param in page.url, f"{param} missing from {page.url}: the state cannot be shared"
    check_axe(page)

    card_links(page).click()
    expect(page).to_have_url(re.compile(re.escape(PTCE_PATH) + "$"))
    expect(page.locator("h1")).to_have_text(PTCE_NAME)


def test_search_filter_and_open_a_ptce_with_the_keyboard_only(page):
    page.goto("/ptce/")
    count = page.locator("#result-count")

    tab_to(page, control('input[type="search"][name="q"]'))
    page.keyboard.type("culture")
    page.keyboard.press("Enter")
    wait_until_idle(page)
    expect(count).to_have_text(SOME_RESULTS)

    tab_to(page, control('select[name="departement"]'))
    page.keyboard.type("03")  # type-ahead on the closed list, as a keyboard user does
    wait_until_idle(page)
    department = page.locator(control('select[name="departement"]'))
    for _ in range(120):
        if department.input_value() == "03":
            break
        page.keyboard.press("ArrowDown")
        wait_until_idle(page)
    expect(department).to_have_value("03")
    expect(department).to_be_focused()

    tab_to(page, control('input[name="theme"][value="culture"]'))
    page.keyboard.press("Space")
    wait_until_idle(page)
    expect(page.locator(control('input[name="theme"][value="culture"]'))).to_be_checked()

    tab_to(page, control('[type="submit"]:not([formaction])'))
    page.keyboard.press("Enter")
    wait_until_idle(page)
    expect(count).to_have_text(ONE_RESULT)
    expect(card_links(page)).to_have_text(PTCE_NAME)

    focused = tab_to(page, "#results article.card :is(h2, h3) a", max_presses=200)
    assert focused["text"] == PTCE_NAME, focused
    assert focused["outlineStyle"] != "none", f"the focused card link has no outline: {focused}"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(PTCE_PATH) + "$"))
    expect(page.locator("h1")).to_have_text(PTCE_NAME)
