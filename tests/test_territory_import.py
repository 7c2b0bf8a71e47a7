"""Loading the official territories: counts, idempotence, updates, kept leftovers, errors."""

import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from collectivites.models import Territory, TerritoryAncestry, TerritoryKind
from collectivites.services.territory_import import TerritoryFileError, import_territories

pytestmark = pytest.mark.django_db

FILES = ["regions.csv", "departements.csv", "epci.csv", "communes.csv"]


def kind_counts():
    return {kind: Territory.objects.of_kind(kind).count() for kind in TerritoryKind}


def test_the_official_files_give_every_french_territory():
    assert kind_counts() == {
        TerritoryKind.REGION: 26,
        TerritoryKind.DEPARTEMENT: 109,
        TerritoryKind.EPCI: 1255,
        TerritoryKind.COMMUNE: 34969,
    }


def test_reimporting_the_same_files_changes_nothing():
    counts_before = kind_counts()
    links_before = TerritoryAncestry.objects.count()

    report = import_territories(settings.TERRITORY_FIXTURES_DIR)

    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0
    assert report.links_added == 0
    assert report.links_removed == 0
    assert report.missing_from_files == 0
    assert not report.changed_anything
    assert sum(report.unchanged.values()) == sum(counts_before.values())
    assert kind_counts() == counts_before
    assert TerritoryAncestry.objects.count() == links_before


def test_a_renamed_commune_gets_its_official_name_back(cusset):
    Territory.objects.filter(pk=cusset.pk).update(name="Cusset-les-Bains")

    report = import_territories(settings.TERRITORY_FIXTURES_DIR)

    cusset.refresh_from_db()
    assert cusset.name == "Cusset"
    assert cusset.search_name == "cusset"
    assert report.updated[TerritoryKind.COMMUNE] == 1
    assert sum(report.updated.values()) == 1
    assert sum(report.created.values()) == 0


def test_ancestry_links_are_put_back_in_line_with_the_files(cusset, allier, oise):
    TerritoryAncestry.objects.filter(territory=cusset, ancestor=allier).delete()
    TerritoryAncestry.objects.create(territory=cusset, ancestor=oise)

    report = import_territories(settings.TERRITORY_FIXTURES_DIR)

    assert (report.links_added, report.links_removed) == (1, 1)
    assert set(cusset.ancestors.filter(kind=TerritoryKind.DEPARTEMENT)) == {allier}


def test_a_territory_absent_from_the_files_is_kept_and_reported():
    # A commune merged away still carries PTCEs: it must stay in the database.
    former = Territory.objects.create(kind=TerritoryKind.COMMUNE, code="03999", name="Ancienne")

    report = import_territories(settings.TERRITORY_FIXTURES_DIR)

    assert report.missing_from_files == 1
    assert Territory.objects.filter(pk=former.pk).exists()


def test_a_missing_territory_is_created_again(territory):
    orphan = Territory.objects.get(kind=TerritoryKind.EPCI, code="200071363")
    # Deleting an EPCI cascades to its ancestry links only.
    orphan.delete()

    report = import_territories(settings.TERRITORY_FIXTURES_DIR)

    assert report.created[TerritoryKind.EPCI] == 1
    assert territory(TerritoryKind.COMMUNE, "03095").epci.code == "200071363"


def test_the_command_prints_its_progress_and_counts():
    out = StringIO()

    call_command("import_territories", stdout=out)

    output = out.getvalue()
    total = 26 + 109 + 1255 + 34969
    assert f"{total} territoires lus" in output
    assert "Commune : 0 créé(s), 0 mis à jour, 34969 inchangé(s)." in output
    assert "Région : 0 créé(s), 0 mis à jour, 26 inchangé(s)." in output
    assert "Liens d'appartenance : 0 ajouté(s), 0 retiré(s)." in output
    assert "Territoires importés en" in output


def test_the_quiet_command_prints_counts_and_warns_about_kept_territories():
    Territory.objects.create(kind=TerritoryKind.COMMUNE, code="03999", name="Ancienne")
    out = StringIO()

    call_command("import_territories", stdout=out, verbosity=0)

    output = out.getvalue()
    assert "territoires lus" not in output
    assert "Commune : 0 créé(s), 0 mis à jour, 34969 inchangé(s)." in output
    assert "1 territoire(s) absent(s) des fichiers" in output


def test_a_missing_file_is_a_clear_error(tmp_path):
    for name in FILES[:2]:
        shutil.copy(settings.TERRITORY_FIXTURES_DIR / name, tmp_path / name)

    with pytest.raises(TerritoryFileError, match=r"epci\.csv is missing"):
        import_territories(tmp_path)


def test_the_command_fails_on_a_missing_file_and_writes_nothing(tmp_path):
    before = Territory.objects.count()

    with pytest.raises(CommandError, match=r"regions\.csv is missing"):
        call_command("import_territories", directory=str(tmp_path), stdout=StringIO())

    assert Territory.objects.count() == before


def test_a_file_referring_to_an_unknown_parent_writes_nothing(tmp_path):
    for name in FILES[:3]:
        shutil.copy(settings.TERRITORY_FIXTURES_DIR / name, tmp_path / name)
    (tmp_path / "communes.csv").write_text(
        "code,name,tncc,departement,region,epci,population,postcodes,latitude,longitude\n"
        "03998,Nouvelle commune,0,03,84,,100,03300,46.1,3.4\n"
        "03997,Commune perdue,0,XX,84,,100,03300,46.1,3.4\n",
        encoding="utf-8",
    )
    before = Territory.objects.count()

    with pytest.raises(TerritoryFileError, match="unknown departement XX"):
        import_territories(tmp_path)

    assert Territory.objects.count() == before
    assert not Territory.objects.filter(code="03998").exists()


def test_a_malformed_row_names_its_file_and_line(tmp_path):
    for name in FILES:
        shutil.copy(settings.TERRITORY_FIXTURES_DIR / name, tmp_path / name)
    with (tmp_path / "regions.csv").open("a", encoding="utf-8") as handle:
        handle.write("99,Région bidon,deux,45.0,3.0,100\n")

    with pytest.raises(TerritoryFileError, match=r"regions\.csv:28"):
        import_territories(tmp_path)
