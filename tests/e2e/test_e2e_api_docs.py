"""The API's documentation page (/api/v1/docs/) in a real browser: the vendored Swagger UI
renders every operation of the OpenAPI schema under the portal's CSP (no inline script, no
remote request, no CSP violation)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

OPERATIONS = {
    "/api/v1/ptce/",
    "/api/v1/ptce/{slug}/",
    "/api/v1/territoires/",
    "/api/v1/experiences/",
    "/api/v1/dispositifs/",
    "/api/v1/soutiens/",
}


def test_swagger_ui_renders_the_schema_under_the_csp(page):
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    response = page.goto("/api/v1/docs/")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy

    paths = page.locator(".opblock-summary-path")
    expect(paths).to_have_count(len(OPERATIONS))
    assert {paths.nth(k).get_attribute("data-path") for k in range(len(OPERATIONS))} == OPERATIONS

    page.locator('.opblock-summary-path[data-path="/api/v1/ptce/"]').click()
    expect(page.locator(".parameters").first).to_contain_text("par exemple 03, 2A, 971")
    violations = [line for line in console if "Content Security Policy" in line]
    assert violations == []
