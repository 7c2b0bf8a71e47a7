"""The API's description: /api/v1/schema/ is valid OpenAPI 3, describes every endpoint,
parameter and field in French; /api/v1/docs/ loads its assets from /static/ only, with no
inline script, under the portal's CSP."""

import re

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

SCHEMA = "/api/v1/schema/"
DOCS = "/api/v1/docs/"
ENDPOINTS = {
    "/api/v1/ptce/",
    "/api/v1/ptce/{slug}/",
    "/api/v1/territoires/",
    "/api/v1/experiences/",
    "/api/v1/dispositifs/",
    "/api/v1/soutiens/",
}
# A description is French when it has an accented letter or one of these words.
FRENCH_WORDS = re.compile(
    r"\b(le|la|les|l'|du|de|des|d'|un|une|en|au|aux|et|ou|par|pour|sur|dans|ce|qui|est)\b",
    re.IGNORECASE,
)
ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœ]", re.IGNORECASE)


def is_french(text):
    return bool(text) and bool(ACCENTED.search(text) or FRENCH_WORDS.search(text))


@pytest.fixture
def schema(client):
    response = client.get(SCHEMA)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document


def test_schema_describes_every_endpoint_and_only_reading(schema):
    assert set(schema["paths"]) == ENDPOINTS
    for path, operations in schema["paths"].items():
        assert set(operations) - {"parameters"} == {"get"}, path


def test_every_operation_and_parameter_is_described_in_french(schema):
    for path, operations in schema["paths"].items():
        operation = operations["get"]
        assert is_french(operation["summary"]), path
        assert is_french(operation["description"]), path
        for parameter in operation.get("parameters", []):
            assert is_french(parameter.get("description", "")), (path, parameter["name"])
        assert {"200", "400", "304", "429"} <= set(operation["responses"]), path


def test_every_field_is_described_in_french(schema):
    undescribed = []
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            if not is_french(spec.get("description", "")):
                undescribed.append(f"{name}.{field}: {spec.get('description')!r}")
    assert undescribed == []


def test_list_parameters_are_the_directory_filters(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/ptce/"]["get"]["parameters"]}
    assert parameters == {
        "q",
        "region",
        "departement",
        "epci",
        "commune",
        "theme",
        "support",
        "stage",
        "legal_form",
        "charter",
        "bbox",
        "sort",
        "page",
        "page_size",
    }


def test_docs_page_loads_its_assets_from_static_only(client):
    response = client.get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts, "the page starts Swagger UI"
    for attributes in scripts:
        source = re.search(r'src="([^"]+)"', attributes)
        assert source, f"inline script: {attributes}"
        assert source.group(1).startswith("/static/"), source.group(1)
    assets = re.findall(r'<link\b[^>]*href="([^"]+)"', html)
    assert "/static/vendor/swagger-ui-dist/swagger-ui.css" in assets
    assert all(href.startswith("/") and not href.startswith("//") for href in assets)
    assert " style=" not in html and "<style" not in html
    assert 'data-schema-url="/api/v1/schema/"' in html
    for path in (
        "vendor/swagger-ui-dist/swagger-ui-bundle.js",
        "vendor/swagger-ui-dist/swagger-ui.css",
        "vendor/swagger-ui-dist/LICENSE",
        "js/api-docs.js",
    ):
        assert finders.find(path), path
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_docs_are_linked_from_every_page(client):
    html = client.get("/").content.decode()
    assert 'href="/api/v1/docs/"' in html
