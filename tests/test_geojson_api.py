"""The map's JSON API: /api/v1/ptce.geojson, /api/v1/coverage.json, the outlines and the
commune point of the admin's picker. Filters, bbox, errors, caching and HTTP caching."""

import gzip
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from django.utils.http import http_date
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectivites.models import TerritoryKind
from core.models import PublicDataVersion
from directory.models import Ptce, PtceStatus
from directory.services.ptce_csv import COLUMNS
from directory.services.ptce_import import import_ptce_csv

from .factories import PtceFactory, commune, theme

# WhiteNoise warns once that ``staticfiles/`` is absent (no collectstatic in tests).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

GEOJSON = "/api/v1/ptce.geojson"
COVERAGE = "/api/v1/coverage.json"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ptces():
    """Cusset (03, culture), Vichy (03, habitat), Grenoble (38, culture, économie circulaire),
    a draft in Moulins, and one known only by its département (no coordinates)."""
    return {
        "cusset": PtceFactory(name="Atelier de Cusset", commune_code="03095", themes=["culture"]),
        "vichy": PtceFactory(name="Habitat vichyssois", commune_code="03310", themes=["habitat"]),
        "grenoble": PtceFactory(
            name="Fabrique grenobloise",
            commune_code="38185",
            themes=["economie-circulaire", "culture"],
        ),
        "draft": PtceFactory(name="Brouillon moulinois", commune_code="03190", status="draft"),
        "nowhere": PtceFactory(name="Pôle de l'Oise", departement_code="60"),
    }


def features(client, query="", **headers):
    response = client.get(f"{GEOJSON}{query}", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def names(payload):
    return sorted(feature["properties"]["name"] for feature in payload["features"])


# --- the FeatureCollection ------------------------------------------------------------------
def test_published_ptces_with_coordinates_only(client, ptces):
    payload = features(client)
    assert payload["type"] == "FeatureCollection"
    assert payload["ignored"] == []
    assert names(payload) == ["Atelier de Cusset", "Fabrique grenobloise", "Habitat vichyssois"]


def test_feature_properties_and_compact_body(client, ptces):
    response = client.get(GEOJSON)
    assert response["Content-Type"] == "application/geo+json"
    body = response.content.decode()
    assert ", " not in body and ": " not in body.replace(" : ", "")  # compact separators
    grenoble = next(
        f for f in response.json()["features"] if f["properties"]["slug"] == ptces["grenoble"].slug
    )
    assert grenoble["type"] == "Feature"
    assert grenoble["properties"] == {
        "id": ptces["grenoble"].pk,
        "name": "Fabrique grenobloise",
        "slug": ptces["grenoble"].slug,
        "url": ptces["grenoble"].get_absolute_url(),
        "commune": "Grenoble",
        "departement": "38",
        "themes": ["Économie circulaire", "Culture"],  # the themes' display order
    }
    lon, lat = grenoble["geometry"]["coordinates"]
    assert grenoble["geometry"]["type"] == "Point"
    assert (lon, lat) == (
        round(ptces["grenoble"].longitude, 5),
        round(ptces["grenoble"].latitude, 5),
    )


def test_coordinates_are_rounded_to_five_decimals(client):
    PtceFactory(name="Précis", latitude=45.123456789, longitude=4.987654321)
    [feature] = features(client)["features"]
    assert feature["geometry"]["coordinates"] == [4.98765, 45.12346]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?theme=culture", ["Atelier de Cusset", "Fabrique grenobloise"]),
        (
            "?theme=culture&theme=habitat",
            ["Atelier de Cusset", "Fabrique grenobloise", "Habitat vichyssois"],
        ),
        ("?departement=03", ["Atelier de Cusset", "Habitat vichyssois"]),
        ("?region=84", ["Atelier de Cusset", "Fabrique grenobloise", "Habitat vichyssois"]),
        ("?commune=03310", ["Habitat vichyssois"]),
        ("?departement=03&theme=culture", ["Atelier de Cusset"]),
        ("?q=grenobloise", ["Fabrique grenobloise"]),
        ("?q=atelier", ["Atelier de Cusset"]),
    ],
)
def test_the_directory_filters_apply(client, ptces, query, expected):
    assert names(features(client, query)) == expected


def test_invalid_directory_filters_are_ignored_and_listed(client, ptces):
    payload = features(client, "?theme=inconnue&departement=XX&charter=peut-etre&theme=culture")
    assert names(payload) == ["Atelier de Cusset", "Fabrique grenobloise"]
    assert {item["parameter"] for item in payload["ignored"]} == {"theme", "departement", "charter"}
    unknown_theme = next(item for item in payload["ignored"] if item["parameter"] == "theme")
    assert unknown_theme == {"parameter": "theme", "value": "inconnue", "reason": "valeur inconnue"}


# --- bbox -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bbox", "expected"),
    [
        ("3.3,46,3.5,46.2", ["Atelier de Cusset", "Habitat vichyssois"]),  # Vichy and Cusset
        ("3.44,46.1,3.5,46.2", ["Atelier de Cusset"]),
        ("5,45,6,46", ["Fabrique grenobloise"]),
        ("-5,41,10,52", ["Atelier de Cusset", "Fabrique grenobloise", "Habitat vichyssois"]),
        ("-10,0,-5,10", []),
        # West greater than east: a box across the antimeridian, from 170° E to 3.44° E.
        ("170,40,3.44,50", ["Habitat vichyssois"]),
    ],
)
def test_bbox_keeps_the_points_inside(client, ptces, bbox, expected):
    assert names(features(client, f"?bbox={bbox}")) == expected


def test_bbox_combines_with_filters(client, ptces):
    assert names(features(client, "?bbox=-5,41,10,52&theme=habitat")) == ["Habitat vichyssois"]


def test_empty_bbox_means_no_box(client, ptces):
    assert len(features(client, "?bbox=")["features"]) == 3


def test_in_bbox_queryset_method(ptces):
    inside = Ptce.objects.in_bbox(3.3, 46.0, 3.5, 46.2)
    assert set(inside) == {ptces["cusset"], ptces["vichy"]}
    assert set(Ptce.objects.published().in_bbox(170, 40, 3.44, 50)) == {ptces["vichy"]}
    assert ptces["draft"] in Ptce.objects.in_bbox(170, 40, 3.44, 50)  # Moulins, 3.33° E


@pytest.mark.parametrize(
    "bbox",
    [
        "1,2,3",  # three numbers
        "1,2,3,4,5",
        "a,b,c,d",
        "1;2;3;4",
        "nan,1,2,3",
        "inf,1,2,3",
        "1,,2,3",
        "0,-91,10,10",  # latitude out of range
        "0,10,10,95",
        "-181,10,10,20",  # longitude out of range
        "0,10,190,20",
        "0,50,10,40",  # south above north
        "1" * 300,
    ],
)
@pytest.mark.parametrize("url", [GEOJSON, COVERAGE])
def test_a_bad_bbox_is_a_400_json_error(client, url, bbox):
    response = client.get(url, {"bbox": bbox})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["parameter"] == "bbox"
    assert isinstance(body["error"], str) and body["error"]


def test_a_repeated_bbox_is_a_400(client):
    response = client.get(f"{GEOJSON}?bbox=0,40,10,50&bbox=0,40,10,50")
    assert response.status_code == 400
    assert response.json()["parameter"] == "bbox"


def test_the_400_messages_name_the_problem(client):
    assert "quatre nombres" in client.get(GEOJSON, {"bbox": "1,2,3"}).json()["error"]
    assert "latitudes" in client.get(GEOJSON, {"bbox": "0,-91,1,1"}).json()["error"]
    assert "longitudes" in client.get(GEOJSON, {"bbox": "-200,1,1,2"}).json()["error"]
    assert "sud" in client.get(GEOJSON, {"bbox": "0,5,1,2"}).json()["error"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bbox=st.text(max_size=60), level=st.text(max_size=20), q=st.text(max_size=30))
def test_any_input_gives_200_or_400_never_500(client, bbox, level, q):
    for url in (GEOJSON, COVERAGE):
        response = client.get(url, {"bbox": bbox, "level": level, "q": q})
        assert response.status_code in (200, 400), (url, bbox, level, q)
        response.json()


# --- caching ----------------------------------------------------------------------------------
def test_a_renamed_ptce_appears_renamed(client, ptces):
    assert "Atelier de Cusset" in names(features(client))
    ptce = ptces["cusset"]
    ptce.name = "Atelier cussetois"
    ptce.save()
    assert "Atelier cussetois" in names(features(client))
    assert "Atelier cussetois" in names(features(client, "?theme=culture"))


def test_changed_themes_and_unpublishing_show_at_once(client, ptces):
    assert names(features(client, "?theme=habitat")) == ["Habitat vichyssois"]
    ptces["cusset"].themes.add(theme("habitat"))
    assert names(features(client, "?theme=habitat")) == ["Atelier de Cusset", "Habitat vichyssois"]
    ptces["vichy"].status = PtceStatus.ARCHIVED
    ptces["vichy"].save()
    assert names(features(client, "?theme=habitat")) == ["Atelier de Cusset"]
    ptces["cusset"].delete()
    assert names(features(client, "?theme=habitat")) == []


def test_bulk_writes_of_the_importer_are_seen(client, ptces):
    """The CSV import writes with bulk_update (no signals): it moves the version itself."""
    assert "Habitat vichyssois" in names(features(client))
    header = ",".join(COLUMNS)
    row = dict.fromkeys(COLUMNS, "") | {
        "nom": "Habitat vichyssois",
        "departement": "03",
        "statut": "brouillon",
    }
    source = f"{header}\n{','.join(row[name] for name in COLUMNS)}\n".encode()
    result = import_ptce_csv(source)
    assert result.updated == ["Habitat vichyssois"], result.errors
    assert "Habitat vichyssois" not in names(features(client))


def test_the_cached_answer_needs_no_feature_query(client, ptces, django_assert_max_num_queries):
    features(client, "?theme=culture")
    with django_assert_max_num_queries(1):  # the public-data version, nothing else
        features(client, "?theme=culture")


def test_etag_gives_304(client, ptces):
    first = client.get(GEOJSON)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = client.get(GEOJSON, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    other = client.get(f"{GEOJSON}?theme=culture", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_a_change_gives_a_new_etag(client, ptces):
    etag = client.get(GEOJSON)["ETag"]
    ptces["cusset"].name = "Autre nom"
    ptces["cusset"].save()
    response = client.get(GEOJSON, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_last_modified_gives_304_once_the_change_has_settled(client, ptces):
    PublicDataVersion.objects.update(changed_at=timezone.now() - timedelta(minutes=5))
    first = client.get(GEOJSON)
    last_modified = first["Last-Modified"]
    again = client.get(GEOJSON, headers={"If-Modified-Since": last_modified})
    assert again.status_code == 304
    old = http_date(0)
    assert client.get(GEOJSON, headers={"If-Modified-Since": old}).status_code == 200


def test_a_change_of_the_last_second_sends_no_last_modified(client, ptces):
    """Its one-second resolution cannot tell two changes of the same second apart: a
    client would keep stale data; the ETag alone serves until the change has settled."""
    first = client.get(GEOJSON)
    ptces["cusset"].name = "Renommé dans la même seconde"
    ptces["cusset"].save()
    again = client.get(GEOJSON, headers={"If-None-Match": first["ETag"]})

    assert "Last-Modified" not in again
    assert again.status_code == 200
    assert "Renommé dans la même seconde" in names(again.json())


def test_gzip_when_accepted(client, ptces):
    plain = client.get(GEOJSON)
    assert "Content-Encoding" not in plain
    zipped = client.get(GEOJSON, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert int(zipped["Content-Length"]) == len(zipped.content)
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert zipped["ETag"] == plain["ETag"]


# --- coverage ---------------------------------------------------------------------------------
def coverage(client, query=""):
    response = client.get(f"{COVERAGE}{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_coverage_counts_per_departement(client, ptces):
    # The PTCE of the Oise has no coordinates: counted all the same; the draft is not.
    payload = coverage(client, "?level=departement")
    assert payload["level"] == "departement"
    assert payload["counts"] == {"03": 2, "38": 1, "60": 1}
    assert coverage(client)["counts"] == payload["counts"]  # départements by default


def test_coverage_counts_follow_the_filters(client, ptces):
    assert coverage(client, "?theme=culture")["counts"] == {"03": 1, "38": 1}
    assert coverage(client, "?theme=habitat")["counts"] == {"03": 1}
    assert coverage(client, "?departement=03&theme=culture")["counts"] == {"03": 1}
    assert coverage(client, "?bbox=3,45,6,47")["counts"] == {"03": 2, "38": 1}


def test_coverage_counts_per_region(client, ptces):
    payload = coverage(client, "?level=region")
    assert payload == {"level": "region", "ignored": [], "counts": {"32": 1, "84": 3}}


def test_coverage_follows_changes(client, ptces):
    assert coverage(client, "?theme=culture")["counts"] == {"03": 1, "38": 1}
    PtceFactory(name="Nouveau", commune_code="03310", themes=["culture"])
    assert coverage(client, "?theme=culture")["counts"] == {"03": 2, "38": 1}


@pytest.mark.parametrize("level", ["commune", "REGION", "x"])
def test_a_bad_level_is_a_400(client, level):
    response = client.get(COVERAGE, {"level": level})
    assert response.status_code == 400
    assert response.json()["parameter"] == "level"


def test_coverage_has_etag_and_gzip(client, ptces):
    first = client.get(COVERAGE, headers={"Accept-Encoding": "gzip"})
    assert first["Content-Type"] == "application/json"
    assert client.get(COVERAGE, headers={"If-None-Match": first["ETag"]}).status_code == 304


# --- outlines and the commune point -------------------------------------------------------------
def test_outlines_are_served_whole_or_by_code(client):
    response = client.get(
        "/api/v1/outlines/departements.geojson", headers={"Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=" in response["Cache-Control"]
    whole = json.loads(gzip.decompress(response.content))
    assert len(whole["features"]) >= 100
    one = client.get("/api/v1/outlines/departements.geojson?code=03").json()
    assert [f["properties"] for f in one["features"]] == [{"code": "03", "name": "Allier"}]
    region = client.get("/api/v1/outlines/regions.geojson?code=84").json()
    assert region["features"][0]["properties"]["name"] == "Auvergne-Rhône-Alpes"


def test_outlines_answer_304_and_reject_bad_codes(client):
    first = client.get("/api/v1/outlines/regions.geojson")
    again = client.get("/api/v1/outlines/regions.geojson", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert client.get("/api/v1/outlines/regions.geojson?code=99").status_code == 404
    bad = client.get("/api/v1/outlines/regions.geojson?code=<script>")
    assert bad.status_code == 400
    assert bad.json()["parameter"] == "code"


def test_commune_point_is_for_staff_only(client):
    cusset = commune("03095")
    url = f"/api/v1/communes/{cusset.pk}/point.json"
    assert client.get(url).status_code == 403
    staff = get_user_model().objects.create_user("curator", password="x", is_staff=True)
    client.force_login(staff)
    body = client.get(url).json()
    assert body == {
        "pk": cusset.pk,
        "code": "03095",
        "name": "Cusset",
        "latitude": cusset.latitude,
        "longitude": cusset.longitude,
    }
    departement = cusset.ancestors.get(kind=TerritoryKind.DEPARTEMENT)
    assert client.get(f"/api/v1/communes/{departement.pk}/point.json").status_code == 404


def test_the_api_only_answers_get(client):
    assert client.post(GEOJSON).status_code == 405
