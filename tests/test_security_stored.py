"""Attack strings stored in every field a curator can fill, then read everywhere they are shown
(docs/security.md, §2): public pages and their results fragment, the PTCE page's JSON-LD, the
JSON endpoints, and the back-office's lists and forms. Web addresses: only http and https are
accepted where curators type them, and the map scripts write the API's strings as text.

The objects are written through the ORM (no form validation), the strictest case for the
templates: what a form would refuse is stored anyway and must still come out escaped."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from collectivites.models import Resource, Scheme, Territory
from directory.admin_forms import PtceAdminForm
from directory.models import Experience, LegalForm, Member, Ptce, Stage, Support, Theme
from directory.services.ptce_csv import COLUMNS
from directory.services.ptce_import import import_ptce_csv

from .factories import (
    MemberFactory,
    NationalCallAwardFactory,
    PtceFactory,
    commune,
    departement,
    epci,
    region,
    support_type,
)
from .security_helpers import STORED_PAYLOADS, fits, html_problems, json_blocks, json_problems

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PTCE_SLUG = "pole-securite"
EXPERIENCE_SLUG = "retour-securite"
SCHEME_SLUG = "dispositif-securite"
SUPPORT_TYPE_SLUG = "conseil-ingenierie"


def link(payload):
    """A web address carrying the payload in its path (what URLValidator lets through when
    there is no space in it)."""
    return fits(f"https://example.org/{payload}", 200)


def store_everywhere(payload):
    """Every field a curator can fill holds ``payload`` (cut to the column's length): a
    published PTCE of Cusset with members, a national call, a support, an experience; a
    scheme, a resource; a support type, a theme, a stage and a legal form renamed; Cusset
    itself renamed (territories are editable in the back-office too)."""
    theme = Theme.objects.get(slug="culture")
    theme.name = fits(payload, 120)
    theme.save()
    stage = Stage.objects.get(slug="emergence")
    stage.name, stage.description = fits(payload, 120), payload
    stage.save()
    legal = LegalForm.objects.get(slug="scic")
    legal.name = fits(payload, 120)
    legal.save()
    kind = support_type(SUPPORT_TYPE_SLUG)
    kind.title, kind.short_title, kind.description = fits(payload, 120), fits(payload, 60), payload
    kind.save()
    Territory.objects.filter(pk=commune("03095").pk).update(name=fits(payload, 200))

    ptce = PtceFactory(
        name=fits(payload, 200),
        slug=PTCE_SLUG,
        commune_code="03095",
        summary=fits(payload, 400),
        description=payload,
        carrying_structure=fits(payload, 200),
        website=link(payload),
        email=fits(payload, 254),
        phone=fits(payload, 30),
        source=payload,
        stage=stage,
        legal_form=legal,
        year_founded=2015,
        themes=["culture"],
        action_territories=[departement("03"), epci("200071363")],
    )
    MemberFactory(ptce=ptce, name=fits(payload, 200), website=link(payload))
    MemberFactory(ptce=ptce, name=fits("Membre " + payload, 200))
    NationalCallAwardFactory(ptce=ptce, name=fits(payload, 200), year=2021)
    Support.objects.create(
        status="published",
        ptce=ptce,
        collectivite=departement("03"),
        support_type=kind,
        description=payload,
        source=fits(payload, 500),
    )
    experience = Experience.objects.create(
        status="published",
        slug=EXPERIENCE_SLUG,
        title=fits(payload, 200),
        collectivite=departement("03"),
        ptce=ptce,
        summary=fits(payload, 400),
        body=payload,
        quote=payload,
        quote_author=fits(payload, 200),
        quote_author_role=fits(payload, 200),
        source=fits(payload, 500),
        year=2020,
    )
    experience.support_types.set([kind])
    scheme = Scheme.objects.create(
        slug=SCHEME_SLUG,
        name=fits(payload, 250),
        owner=region("84"),
        description=payload,
        url=link(payload),
        source=fits(payload, 500),
        start_year=2020,
    )
    scheme.support_types.set([kind])
    resource = Resource.objects.create(
        title=fits(payload, 250),
        url=link(payload),
        publisher=fits(payload, 200),
        description=payload,
    )
    return {"ptce": ptce, "experience": experience, "scheme": scheme, "resource": resource}


# Every public page where something of the above is shown.
PUBLIC_PAGES = [
    "/",
    "/ptce/",
    "/ptce/?theme=culture&stage=emergence&legal_form=scic&support=conseil-ingenierie",
    "/ptce/?q=securite",
    f"/ptce/{PTCE_SLUG}/",
    f"/ptce/{PTCE_SLUG}/corriger/",  # the public correction form, filled with the PTCE
    "/carte/",
    "/carte/?theme=culture&stage=emergence",
    "/territoires/",
    "/territoires/?q=03095",
    "/territoires/commune/03095/",
    "/territoires/epci/200071363/",
    "/territoires/departement/03/",
    "/territoires/region/84/",
    "/soutenir/",
    f"/soutenir/{SUPPORT_TYPE_SLUG}/",
    "/experiences/",
    f"/experiences/?support={SUPPORT_TYPE_SLUG}",
    f"/experiences/{EXPERIENCE_SLUG}/",
    "/dispositifs/",
    f"/dispositifs/?support={SUPPORT_TYPE_SLUG}",
    f"/dispositifs/{SCHEME_SLUG}/",
]
FRAGMENT_PAGES = ["/ptce/", "/territoires/commune/03095/", "/territoires/departement/03/"]


def page_problems(client, urls, payload, headers=None):
    found = {}
    for url in urls:
        response = client.get(url, headers=headers or {})
        problems = [] if response.status_code == 200 else [f"status {response.status_code}"]
        problems += html_problems(response.content.decode(), payload)
        if problems:
            found[url] = problems
    return found


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("payload", STORED_PAYLOADS.values(), ids=STORED_PAYLOADS.keys())
def test_public_pages_show_stored_payloads_as_text(visitor, payload):
    store_everywhere(payload)

    assert page_problems(visitor, PUBLIC_PAGES, payload) == {}
    fragments = page_problems(visitor, FRAGMENT_PAGES, payload, {"X-Fragment": "results"})
    assert fragments == {}


@pytest.mark.parametrize("payload", STORED_PAYLOADS.values(), ids=STORED_PAYLOADS.keys())
def test_the_json_ld_block_cannot_be_closed_by_a_stored_string(visitor, payload):
    """``directory/structured_data.py`` escapes ``<``, ``>`` and ``&`` as ``\\u003C``…: a
    ``</script>`` or ``<!--`` in a name never ends the block."""
    store_everywhere(payload)
    body = visitor.get(f"/ptce/{PTCE_SLUG}/").content.decode()

    blocks = [content for kind, content in json_blocks(body) if kind == "application/ld+json"]
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["name"] == fits(payload, 200)
    assert data["description"] == fits(payload, 400)
    assert data["sameAs"] == [link(payload)]
    assert not re.search(r"[<>&]", blocks[0])


@pytest.mark.parametrize("payload", STORED_PAYLOADS.values(), ids=STORED_PAYLOADS.keys())
def test_the_json_endpoints_carry_stored_strings_as_json_strings(visitor, payload):
    store_everywhere(payload)

    geojson = visitor.get("/api/v1/ptce.geojson")
    assert json_problems(geojson) == []
    (feature,) = geojson.json()["features"]
    properties = feature["properties"]
    assert properties["name"] == fits(payload, 200)
    assert properties["commune"] == fits(payload, 200)
    assert properties["themes"] == [fits(payload, 120)]
    assert properties["url"] == f"/ptce/{PTCE_SLUG}/"  # built by the portal, never stored
    territories = visitor.get("/territoires/recherche.json", {"q": "03095"})
    assert json_problems(territories) == []
    assert territories.json()["results"][0]["name"] == fits(payload, 200)
    assert json_problems(visitor.get("/api/v1/coverage.json")) == []


def admin_pages(objects):
    ptce, experience = objects["ptce"], objects["experience"]
    scheme, resource = objects["scheme"], objects["resource"]
    support = Support.objects.get(ptce=ptce)
    kind = support_type(SUPPORT_TYPE_SLUG)
    theme, stage = Theme.objects.get(slug="culture"), Stage.objects.get(slug="emergence")
    legal = LegalForm.objects.get(slug="scic")
    cusset = commune("03095")
    pages = [
        "/admin/",
        "/admin/directory/ptce/",
        "/admin/directory/ptce/?q=securite",
        f"/admin/directory/ptce/?themes__id__exact={theme.pk}",
        f"/admin/directory/ptce/{ptce.pk}/change/",
        f"/admin/directory/ptce/{ptce.pk}/history/",
        f"/admin/directory/ptce/{ptce.pk}/delete/",
        "/admin/directory/support/",
        f"/admin/directory/support/{support.pk}/change/",
        "/admin/directory/experience/",
        f"/admin/directory/experience/{experience.pk}/change/",
        f"/admin/directory/experience/{experience.pk}/delete/",
        "/admin/collectivites/scheme/",
        f"/admin/collectivites/scheme/{scheme.pk}/change/",
        "/admin/collectivites/resource/",
        f"/admin/collectivites/resource/{resource.pk}/change/",
        "/admin/collectivites/supporttype/",
        f"/admin/collectivites/supporttype/{kind.pk}/change/",
        f"/admin/collectivites/supporttype/{kind.pk}/delete/",
        "/admin/directory/theme/",
        f"/admin/directory/theme/{theme.pk}/change/",
        f"/admin/directory/stage/{stage.pk}/change/",
        f"/admin/directory/legalform/{legal.pk}/change/",
        "/admin/collectivites/territory/?q=03095",
        f"/admin/collectivites/territory/{cusset.pk}/change/",
    ]
    return pages


@pytest.mark.parametrize("payload", STORED_PAYLOADS.values(), ids=STORED_PAYLOADS.keys())
def test_the_back_office_shows_stored_payloads_as_text(admin_client, payload):
    objects = store_everywhere(payload)
    admin_client.raise_request_exception = False

    assert page_problems(admin_client, admin_pages(objects), payload) == {}
    autocomplete = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "directory",
            "model_name": "ptce",
            "field_name": "seat_commune",
            "term": "03095",
        },
    )
    assert json_problems(autocomplete) == []


# --- web addresses: http and https only ----------------------------------------------------
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://example.org/%0aalert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
]


def ptce_form(website):
    ptce = PtceFactory(commune_code="03095")
    data = {
        "name": ptce.name,
        "slug": ptce.slug,
        "status": ptce.status,
        "seat_commune": ptce.seat_commune_id,
        "departement": ptce.departement_id,
        "charter_signed": ptce.charter_signed,
        "website": website,
    }
    return PtceAdminForm(data, instance=ptce)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_ptce_form_refuses_a_non_web_address(url):
    form = ptce_form(url)

    assert not form.is_valid()
    assert "website" in form.errors


@pytest.mark.parametrize("url", HOSTILE_URLS)
@pytest.mark.parametrize(
    ("model", "field", "build"),
    [
        (Ptce, "website", lambda: PtceFactory.build(commune_code="03095")),
        (Member, "website", lambda: MemberFactory.build(ptce=PtceFactory())),
        (Scheme, "url", lambda: Scheme(slug="s", name="S", description="D", source="S")),
        (Resource, "url", lambda: Resource(title="R")),
    ],
    ids=["ptce", "member", "scheme", "resource"],
)
def test_every_web_address_field_refuses_a_non_web_address(model, field, build, url):
    """The models' own validation (run by every admin form, inlines included)."""
    item = build()
    setattr(item, field, url)

    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert field in refused.value.message_dict


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x"])
def test_the_csv_import_refuses_a_non_web_address(url):
    row = dict.fromkeys(COLUMNS, "") | {
        "nom": "Pôle importé",
        "departement": "03",
        "site_web": url.replace(",", " "),
    }
    source = f"{','.join(COLUMNS)}\n{','.join(row[name] for name in COLUMNS)}\n".encode()

    result = import_ptce_csv(source)

    assert [error.column for error in result.errors] == ["site_web"]
    assert not Ptce.objects.filter(name="Pôle importé").exists()


@pytest.mark.parametrize("url", ["https://example.org/", "http://example.org/a?b=c#d"])
def test_the_ptce_form_accepts_web_addresses(url):
    assert ptce_form(url).is_valid()


@pytest.mark.xfail(
    strict=True,
    reason="Decision: Django's URLValidator also accepts ftp:// and ftps:// (harmless for XSS, "
    "but the rule says http/https only); restrict with URLValidator(schemes=['http','https'])?",
)
@pytest.mark.parametrize("url", ["ftp://example.org/", "ftps://example.org/"])
def test_the_ptce_form_refuses_other_schemes(url):
    assert not ptce_form(url).is_valid()


def test_the_shipped_content_links_are_web_addresses():
    """``manage.py load_content`` writes ``fixtures/content/seed.json`` through the ORM,
    without form validation: its links are checked here."""
    seed = json.loads((settings.CONTENT_FIXTURES_DIR / "seed.json").read_text())
    urls = [
        item["url"] for key in ("schemes", "resources") for item in seed[key] if item.get("url")
    ]

    assert urls
    assert [url for url in urls if not url.startswith(("https://", "http://"))] == []


@pytest.mark.xfail(
    strict=True,
    reason="Decision (defence in depth): a javascript: address written by the ORM (a script, "
    "a future import) is rendered as a link; every curator path refuses it (tests above).",
)
def test_a_javascript_address_written_by_the_orm_is_never_a_link(visitor):
    store_everywhere("x")
    Ptce.objects.filter(slug=PTCE_SLUG).update(website="javascript:alert(1)")
    Member.objects.filter(ptce__slug=PTCE_SLUG).update(website="javascript:alert(1)")
    Scheme.objects.filter(slug=SCHEME_SLUG).update(url="javascript:alert(1)")
    Resource.objects.update(url="javascript:alert(1)")

    pages = [f"/ptce/{PTCE_SLUG}/", f"/dispositifs/{SCHEME_SLUG}/", "/soutenir/"]
    assert page_problems(visitor, pages, None) == {}


# --- the map scripts write the API's strings as text ---------------------------------------
JS = Path(settings.BASE_DIR) / "static" / "js"
MAP_SCRIPTS = [
    "map-common.js",
    "ptce-map.js",
    "directory-map.js",
    "territory-map.js",
    "point-map.js",
    "territory-picker.js",
    "admin-point-picker.js",
]
HTML_SINKS = re.compile(
    r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function"
)


@pytest.mark.parametrize("name", MAP_SCRIPTS)
def test_map_scripts_never_write_html(name):
    """Popups, cluster labels, counts and suggestions are built with ``createElement`` and
    ``textContent`` (``map-common.js``: ``popupContent``)."""
    assert HTML_SINKS.findall((JS / name).read_text()) == []


def test_the_popup_writes_the_ptce_properties_as_text():
    source = (JS / "map-common.js").read_text()
    popup = source[source.index("function popupContent") : source.index("function clusterGroup")]

    for value in ("properties.name", "properties.commune", "name;"):
        assert re.search(rf"\.textContent = [^;]*{re.escape(value)}", popup), value
    assert "link.href = properties.url;" in popup  # "/ptce/<slug>/", built by api/payloads.py


def test_the_only_html_tooltip_reads_the_vendored_outlines():
    """Leaflet writes a string tooltip as HTML: the coverage layer's tooltips
    (``ptce-map.js``) name territories from the outline files of ``fixtures/territories``
    (rebuilt by a script, never typed in the back-office); none holds markup."""
    tooltips = {name: (JS / name).read_text().count("bindTooltip(") for name in MAP_SCRIPTS}
    assert {name: count for name, count in tooltips.items() if count} == {"ptce-map.js": 1}
    for name in ("departements.geojson", "regions.geojson"):
        outlines = json.loads((settings.TERRITORY_FIXTURES_DIR / name).read_text())
        labels = [feature["properties"]["name"] for feature in outlines["features"]]
        assert labels and [label for label in labels if re.search(r"[<>&]", label)] == []


def test_the_directory_script_inserts_only_the_portals_own_fragment():
    """``directory.js`` puts the ``X-Fragment: results`` answer in place with ``innerHTML``:
    HTML rendered and escaped by the portal's templates (test_security_inputs.py sends every
    payload with that header), fetched from the form's own ``action`` (same origin)."""
    source = (JS / "directory.js").read_text()

    assert re.findall(r"fetch\(([^,]+),", source) == ["url"]
    assert 'var url = container.querySelector("form").getAttribute("action")' in source
    assert "X-Fragment" in source
