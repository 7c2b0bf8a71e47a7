"""« Importer un tableur » in the back-office: a preview (creations with possible
duplicates, updates field by field, errors by line and column), then a confirmation that
writes everything or nothing, recorded in the history and the admin's log by the curator;
a regional curator's rows outside its région are errors; readers and contributors cannot
import. Possible duplicates are also flagged by the creation form."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import connection
from django.urls import reverse

from backoffice.models import CuratorProfile, Role, SpreadsheetUpload
from core.models import PublicDataVersion
from directory.models import Ptce, PtceStatus

from .backoffice_helpers import change_form_data, make_curator, regional
from .factories import PtceFactory, commune, departement
from .import_helpers import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:directory_ptce_import")
CONFIRM_URL = reverse("admin:directory_ptce_import_confirm")
ISERE_ROW = {"nom": "Nouveau pôle grenoblois", "commune_insee": "38185", "statut": "relecture"}
OISE_ROW = {"nom": "Nouveau pôle de Beauvais", "commune_insee": "60057"}


def upload(client, rows, *, xlsx=False, name=None, data=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = data if data is not None else (xlsx_bytes(rows) if xlsx else csv_bytes(rows))
    name = name or ("ptce.xlsx" if xlsx else "ptce.csv")
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def confirm(client):
    stored = SpreadsheetUpload.objects.get()
    return client.post(CONFIRM_URL, {"digest": stored.digest})


@pytest.fixture
def cress(client):
    client.force_login(regional("84"))
    return client


@pytest.fixture
def national(client):
    client.force_login(make_curator("rtes", Role.NATIONAL))
    return client


@pytest.fixture
def grenoble():
    return PtceFactory(name="Pôle de Grenoble", commune_code="38185", status=PtceStatus.PUBLISHED)


@pytest.fixture
def beauvais():
    return PtceFactory(name="Pôle de Beauvais", commune_code="60057", status=PtceStatus.DRAFT)


# --- the way in -------------------------------------------------------------------------------
def test_the_ptce_list_offers_the_import_to_curators_only(cress, client):
    page = cress.get(reverse("admin:directory_ptce_changelist")).content.decode()
    assert IMPORT_URL in page and "Importer un tableur" in page

    client.force_login(make_curator("lecteur", Role.READER))
    page = client.get(reverse("admin:directory_ptce_changelist")).content.decode()
    assert IMPORT_URL not in page


@pytest.mark.parametrize("role", [Role.READER, Role.COLLECTIVITE])
def test_readers_and_contributors_cannot_import(client, role):
    collectivite = commune("38185") if role == Role.COLLECTIVITE else None
    client.force_login(make_curator("compte", role, collectivite=collectivite))

    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, [ISERE_ROW]).status_code == 403
    assert client.post(CONFIRM_URL, {"digest": "0" * 64}).status_code == 403
    assert not Ptce.objects.exists()
    assert not SpreadsheetUpload.objects.exists()


# --- preview, then confirm ----------------------------------------------------------------------
@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_the_preview_shows_creations_and_updates_field_by_field(cress, grenoble, xlsx):
    rows = [
        ISERE_ROW,
        {"nom": "Pôle de Grenoble", "commune_insee": "38185", "description": "Nouvelle"},
    ]
    response = upload(cress, rows, xlsx=xlsx)

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 PTCE à créer, 1 à mettre à jour, 0 inchangé(s)" in page
    assert "Nouveau pôle grenoblois" in page
    assert "Présentation de Pôle de Grenoble." in page  # the old description
    assert "Nouvelle" in page
    assert "Confirmer l’import" in page
    assert not Ptce.objects.filter(name="Nouveau pôle grenoblois").exists()
    assert Ptce.objects.get(pk=grenoble.pk).description == "Présentation de Pôle de Grenoble."


@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_confirming_writes_with_history_and_log_by_the_curator(cress, grenoble, xlsx):
    user = cress.session["_auth_user_id"]
    version = PublicDataVersion.objects.values_list("value", flat=True).first() or 0
    rows = [
        ISERE_ROW,
        {"nom": "Pôle de Grenoble", "commune_insee": "38185", "description": "Nouvelle"},
    ]
    upload(cress, rows, xlsx=xlsx)
    response = confirm(cress)

    assert response.status_code == 302
    created = Ptce.objects.get(name="Nouveau pôle grenoblois")
    assert created.status == PtceStatus.REVIEW
    assert Ptce.objects.get(pk=grenoble.pk).description == "Nouvelle"
    for ptce, flag in ((created, ADDITION), (grenoble, CHANGE)):
        record = Ptce.history.filter(id=ptce.pk).latest("history_date")
        assert str(record.history_user_id) == user
        assert "Import du tableur" in record.history_change_reason
        entry = LogEntry.objects.get(object_id=str(ptce.pk), action_flag=flag)
        assert str(entry.user_id) == user
    # A published PTCE changed: the public sees it.
    assert PublicDataVersion.objects.values_list("value", flat=True).first() > version
    assert not SpreadsheetUpload.objects.exists()
    page = cress.get(response.url).content.decode()
    assert "1 PTCE créé(s), 1 mis à jour" in page


@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_one_bad_row_shows_its_error_and_nothing_can_be_written(cress, xlsx):
    bad = {"nom": "Pôle sans lieu", "commune_insee": "99999"}
    response = upload(cress, [ISERE_ROW, bad], xlsx=xlsx)

    page = response.content.decode()
    assert "1 erreur" in page
    assert "commune_insee" in page and "99999" in page and "commune inconnue" in page
    assert "<td>3</td>" in page  # its line
    assert "Confirmer l’import" not in page
    assert not SpreadsheetUpload.objects.exists()
    assert cress.post(CONFIRM_URL, {"digest": "0" * 64}).status_code == 302
    assert not Ptce.objects.exists()


def test_the_confirmation_reads_the_kept_file_not_posted_data(cress):
    upload(cress, [ISERE_ROW])
    response = cress.post(CONFIRM_URL, {"digest": "f" * 64, "nom": "Autre chose"})

    assert response.status_code == 302 and response.url == IMPORT_URL
    assert not Ptce.objects.exists()
    assert SpreadsheetUpload.objects.count() == 1


def test_the_file_is_validated_again_at_confirmation(cress, client):
    upload(cress, [ISERE_ROW])
    # Meanwhile, the curator loses its région.
    CuratorProfile.objects.get(user__username="cress-84").regions.clear()
    response = confirm(cress)

    assert response.status_code == 400
    assert "hors de votre ressort" in response.content.decode()
    assert not Ptce.objects.exists()


# --- the regional curator's scope ---------------------------------------------------------------
def test_a_regional_curators_rows_outside_its_region_are_errors(cress):
    response = upload(cress, [ISERE_ROW, OISE_ROW])

    page = response.content.decode()
    assert "hors de votre ressort" in page and "<td>3</td>" in page
    assert "Confirmer l’import" not in page
    assert not Ptce.objects.exists()


def test_it_cannot_update_another_regions_ptce(cress, beauvais):
    row = {"nom": "Pôle de Beauvais", "commune_insee": "60057", "description": "Changée"}
    page = upload(cress, [row]).content.decode()

    assert "hors de votre ressort" in page
    assert Ptce.objects.get(pk=beauvais.pk).description == "Présentation de Pôle de Beauvais."


def test_the_national_curator_imports_anywhere(national, beauvais):
    row = {"nom": "Pôle de Beauvais", "commune_insee": "60057", "description": "Changée"}
    upload(national, [ISERE_ROW, OISE_ROW, row])
    confirm(national)

    assert Ptce.objects.count() == 3
    assert Ptce.objects.get(pk=beauvais.pk).description == "Changée"


@pytest.mark.parametrize(
    ("current", "cell", "allowed"),
    [
        (None, "publie", False),  # a new PTCE is not published at once
        (None, "brouillon", True),
        (PtceStatus.REVIEW, "publie", True),
        (PtceStatus.DRAFT, "publie", False),  # through review first
        (PtceStatus.ARCHIVED, "brouillon", True),
    ],
)
def test_statuses_follow_the_forms_transitions(cress, current, cell, allowed):
    if current:
        PtceFactory(name="Pôle de Grenoble", commune_code="38185", status=current)
    row = {"nom": "Pôle de Grenoble", "commune_insee": "38185", "statut": cell}
    page = upload(cress, [row]).content.decode()

    assert ("Confirmer l’import" in page) == allowed
    assert (("statut" in page and "non permis" in page) or "brouillon ou en relecture" in page) == (
        not allowed
    )


# --- possible duplicates ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("existing", "code", "proposed"),
    [
        ("Fabricanova", "38185", "Fabrica Nova"),
        ("Écopôle alimentaire de la région d’Audruicq", "62057", "Ecopole alimentaire …"),
    ],
)
def test_normalised_names_are_possible_duplicates_on_both_databases(existing, code, proposed):
    ptce = PtceFactory(name=existing, commune_code=code)
    PtceFactory(name="Tout autre chose", commune_code=code)
    elsewhere = PtceFactory(name=proposed, departement_code="60")
    if proposed.endswith("…"):
        proposed = "ECOPOLE alimentaire de la region d'Audruicq"

    found = Ptce.objects.possible_duplicates(proposed, ptce.departement)

    assert list(found) == [ptce]
    assert elsewhere not in Ptce.objects.possible_duplicates(proposed, ptce.departement_id)
    assert not Ptce.objects.possible_duplicates(proposed, ptce.departement, exclude_pk=ptce.pk)


def test_close_names_by_trigrams_on_postgresql_only():
    ptce = PtceFactory(name="PTCE du Pays de Bray", departement_code="60")

    found = list(Ptce.objects.possible_duplicates("PTCE Pays de Bray", departement("60")))

    assert found == ([ptce] if connection.vendor == "postgresql" else [])


def test_the_preview_flags_a_possible_duplicate_with_a_link(cress):
    existing = PtceFactory(name="Fabricanova", commune_code="38185")
    page = upload(cress, [{"nom": "Fabrica Nova", "commune_insee": "38185"}]).content.decode()

    assert "Doublons possibles" in page
    assert reverse("admin:directory_ptce_change", args=[existing.pk]) in page
    assert "Confirmer l’import" in page  # a warning, not an error


def test_the_creation_form_warns_of_a_duplicate_until_confirmed(cress):
    existing = PtceFactory(name="Fabricanova", commune_code="38185")
    url = reverse("admin:directory_ptce_add")
    data = change_form_data(cress.get(url))
    data.update(name="Fabrica Nova", slug="fabrica-nova", status="draft")
    data["seat_commune"] = commune("38185").pk

    response = cress.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Doublon possible" in page
    assert reverse("admin:directory_ptce_change", args=[existing.pk]) in page
    assert "Ce n&#x27;est pas un doublon" in page
    assert not Ptce.objects.filter(name="Fabrica Nova").exists()

    response = cress.post(url, {**data, "not_duplicate": "on"})
    assert response.status_code == 302
    assert Ptce.objects.filter(name="Fabrica Nova").exists()


def test_the_creation_form_without_a_namesake_saves_at_once(cress):
    url = reverse("admin:directory_ptce_add")
    data = change_form_data(cress.get(url))
    data.update(name="Pôle unique", slug="pole-unique", status="draft")
    data["seat_commune"] = commune("38185").pk

    assert cress.post(url, data).status_code == 302


# --- hostile files ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("junk.xlsx", b"\x00\x01\x02binary junk" * 100, "pas un classeur Excel"),
        ("vide.csv", b"", "vide"),
        ("protege.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "mot de passe"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "octets nuls"),
    ],
)
def test_unreadable_files_get_a_clear_message(cress, name, data, message):
    response = upload(cress, [], name=name, data=data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Ptce.objects.exists()


def test_formula_and_huge_cells_are_row_errors(cress):
    rows = [
        {**ISERE_ROW, "description": "x" * 6000},
        {"nom": "Calcul", "departement": "=1+37"},
    ]
    page = upload(cress, rows, xlsx=True).content.decode()

    assert "2 erreurs" in page
    assert "cellule de 6" in page and "formule" in page
    assert not Ptce.objects.exists()


def test_unchanged_rows_of_another_region_are_no_error(cress, beauvais):
    """An export of the whole directory, edited for its région, comes back whole."""
    same = {"nom": "Pôle de Beauvais", "commune_insee": "60057"}
    page = upload(cress, [same, ISERE_ROW]).content.decode()

    assert "1 PTCE à créer, 0 à mettre à jour, 1 inchangé(s)" in page
    assert "Confirmer l’import" in page


def test_a_file_over_the_admins_row_limit_is_sent_to_the_command_line(cress, monkeypatch):
    from backoffice.admin import imports

    monkeypatch.setattr(imports, "MAX_ADMIN_ROWS", 1)
    response = upload(cress, [ISERE_ROW, {**ISERE_ROW, "nom": "Deuxième pôle"}])

    assert response.status_code == 400
    assert "manage.py import_ptce" in response.content.decode()
    assert not SpreadsheetUpload.objects.exists()
