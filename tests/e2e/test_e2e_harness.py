"""The harness itself: it must catch what the other browser tests rely on it to catch."""

import pytest
from e2e_helpers import check_axe

pytestmark = pytest.mark.e2e


def test_requests_outside_the_server_are_blocked_and_recorded(page, page_problems):
    page.goto("/")
    # An image from the tile provider: the one remote origin the CSP allows, so the request
    # leaves the page and only the harness can stop it.
    outcome = page.evaluate(
        """() => new Promise((resolve) => {
               const img = new Image();
               img.onload = () => resolve('loaded');
               img.onerror = () => resolve('failed');
               img.src = 'https://a.tile.openstreetmap.fr/blank.png';
           })"""
    )
    assert outcome == "failed"
    assert page_problems.blocked == ["GET https://a.tile.openstreetmap.fr/blank.png"]
    page_problems.blocked.clear()  # expected here: do not fail at teardown


def test_check_axe_fails_on_a_serious_violation(page):
    page.goto("/")
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = '/static/img/blank-tile.png';
            document.querySelector('main').append(img);
        }"""
    )
    with pytest.raises(pytest.fail.Exception, match=r"image-alt \(critical\)"):
        check_axe(page)
