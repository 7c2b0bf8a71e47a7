"""A collectivité finds its page from the guide and follows a support type to the
experiences filtered by it."""

import re

import pytest
from e2e_helpers import check_axe
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_from_the_guide_pick_cusset_then_follow_a_support_type(page):
    page.goto("/soutenir/")
    check_axe(page)

    picker = page.get_by_role("combobox", name=re.compile("collectivité", re.I))
    picker.fill("Cusset")
    option = page.get_by_role("option", name=re.compile(r"^Cusset \(03\)"))
    expect(option).to_be_visible()
    option.click()

    expect(page).to_have_url(re.compile(r"/territoires/commune/03095/$"))
    expect(page.locator("h1")).to_have_text(re.compile("Cusset"))
    check_axe(page)

    guide = page.locator("section.collectivite-guide")
    guide.get_by_role("link", name="Expériences de collectivités de même niveau").first.click()

    expect(page).to_have_url(
        re.compile(r"/experiences/\?support=reperage-mise-en-lien&level=commune")
    )
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*\d+ expériences?"))
    checked = page.locator('input[name="support"][value="reperage-mise-en-lien"]')
    expect(checked).to_be_checked()
    expect(page.locator("article.card")).to_contain_text(["Cusset"])
    check_axe(page)


def test_the_picker_works_with_the_keyboard(page):
    page.goto("/soutenir/")
    picker = page.get_by_role("combobox", name=re.compile("collectivité", re.I))
    picker.focus()
    page.keyboard.type("cusset")
    expect(page.get_by_role("option").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/territoires/commune/03095/$"))


@pytest.mark.parametrize(
    "path",
    [
        "/experiences/",
        "/experiences/belleville-en-beaujolais-locaux-pole-habitat-durable/",
        "/dispositifs/",
        "/dispositifs/etat-ami-ptce-emergents/",
        "/soutenir/foncier-locaux/",
        "/territoires/departement/60/",
    ],
)
def test_collectivites_pages_are_accessible(page, path):
    page.goto(path)
    expect(page.locator("h1")).to_have_count(1)
    check_axe(page)
