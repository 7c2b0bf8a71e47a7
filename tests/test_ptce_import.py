"""Importing PTCEs from a spreadsheet export: what curators feed the directory with."""

import csv
import io
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from collectivites.models import Territory, TerritoryKind
from directory.models import Ptce, PtceStatus
from directory.services.ptce_import import CsvFormatError, import_ptce_csv

from .factories import PtceFactory, commune, departement, legal_form, stage, theme

pytestmark = pytest.mark.django_db

REFERENCE_FILE = settings.CONTENT_FIXTURES_DIR / "ptce-reference.csv"
MORE_FILE = settings.CONTENT_FIXTURES_DIR / "ptce-more.csv"


def reference_header():
    """The documented format: the header of the vendored reference file."""
    with REFERENCE_FILE.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def csv_text(rows, *, delimiter=",", header=None):
    header = header or reference_header()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()


def write_csv(tmp_path, rows, *, name="ptce.csv", encoding="utf-8", **options):
    path = tmp_path / name
    path.write_bytes(csv_text(rows, **options).encode(encoding))
    return path


def run_command(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("import_ptce", *[str(a) for a in args], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


FABRICANOVA = {
    "nom": "Fabricanova",
    "commune_insee": "38185",
    "thematiques": "economie-circulaire|insertion-emploi",
    "forme_juridique": "scic",
    "stade": "developpement",
    "structure_porteuse": "Fabricanova SCIC",
    "annee_creation": "2020",
    "site_web": "https://fabricanova.example.org",
    "description": "Pôle grenoblois de l'économie circulaire.",
    "statut": "publie",
    "source": "Guide RTES 2022",
}
PAYS_DE_BRAY = {"nom": "PTCE du Pays de Bray", "departement": "60", "description": "Historique."}


# --- success ----------------------------------------------------------------------------------
def test_rows_become_ptces_with_their_references_resolved(tmp_path):
    result = import_ptce_csv(write_csv(tmp_path, [FABRICANOVA, PAYS_DE_BRAY]))

    assert result.ok
    assert sorted(result.created) == ["Fabricanova", "PTCE du Pays de Bray"]
    grenoble = commune("38185")
    ptce = Ptce.objects.get(name="Fabricanova")
    assert ptce.seat_commune == grenoble
    assert ptce.departement == departement("38")
    assert (ptce.latitude, ptce.longitude) == (grenoble.latitude, grenoble.longitude)
    assert set(ptce.themes.all()) == {theme("economie-circulaire"), theme("insertion-emploi")}
    assert ptce.legal_form == legal_form("scic")
    assert ptce.stage == stage("developpement")
    assert ptce.carrying_structure == "Fabricanova SCIC"
    assert ptce.year_founded == 2020
    assert ptce.website == "https://fabricanova.example.org"
    assert ptce.status == PtceStatus.PUBLISHED
    assert ptce.slug
    bray = Ptce.objects.get(name="PTCE du Pays de Bray")
    assert bray.seat_commune is None
    assert bray.departement == departement("60")
    assert bray.status == PtceStatus.DRAFT  # no status given: never published by accident


def test_the_command_reports_what_it_created(tmp_path):
    out, err = run_command(write_csv(tmp_path, [FABRICANOVA, PAYS_DE_BRAY]))

    assert "2 PTCE ont été créés." in out
    assert "  - Fabricanova" in out
    assert "0 PTCE ont été mis à jour." in out
    assert err == ""
    assert Ptce.objects.count() == 2


def test_a_semicolon_file_with_a_bom_as_excel_saves_it(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([FABRICANOVA], delimiter=";").encode("utf-8"))

    out, _ = run_command(path)

    ptce = Ptce.objects.get()
    assert ptce.name == "Fabricanova"
    assert ptce.description == FABRICANOVA["description"]
    assert "séparateur « ; »" in out


def test_a_windows_1252_file(tmp_path):
    row = {**PAYS_DE_BRAY, "nom": "Écopôle du Beauvaisis", "thematiques": "Économie circulaire"}
    path = write_csv(tmp_path, [row], delimiter=";", encoding="cp1252")

    out, _ = run_command(path)

    ptce = Ptce.objects.get()
    assert ptce.name == "Écopôle du Beauvaisis"
    assert list(ptce.themes.all()) == [theme("economie-circulaire")]
    assert "windows-1252" in out


def test_codes_whose_leading_zero_was_eaten_by_a_spreadsheet(tmp_path):
    rows = [
        {"nom": "Atelier d'Art de Vichy", "commune_insee": "3095", "departement": "3"},
        {"nom": "Pôle Saône Vallée", "commune_insee": "1427"},
        {"nom": "Pôle de l'Ain", "departement": "1"},
    ]

    result = import_ptce_csv(write_csv(tmp_path, rows))

    assert result.ok, [str(error) for error in result.errors]
    assert Ptce.objects.get(name="Atelier d'Art de Vichy").seat_commune == commune("03095")
    assert Ptce.objects.get(name="Pôle Saône Vallée").departement == departement("01")
    assert Ptce.objects.get(name="Pôle de l'Ain").departement == departement("01")


def test_corsican_codes_in_lower_case(tmp_path):
    rows = [{"nom": "Pôle d'Ajaccio", "commune_insee": "2a004", "departement": "2a"}]

    result = import_ptce_csv(write_csv(tmp_path, rows))

    assert result.ok, [str(error) for error in result.errors]
    assert Ptce.objects.get().seat_commune == commune("2A004")


@pytest.mark.parametrize(
    ("cell", "slugs"),
    [
        ("Économie circulaire", {"economie-circulaire"}),
        ("economie circulaire", {"economie-circulaire"}),
        ("CULTURE", {"culture"}),
        ("Culture | insertion-emploi", {"culture", "insertion-emploi"}),
        ("Santé et social|sante social", {"sante-social"}),
    ],
)
def test_themes_given_as_labels_any_case_with_or_without_accents(tmp_path, cell, slugs):
    import_ptce_csv(write_csv(tmp_path, [{**PAYS_DE_BRAY, "thematiques": cell}]))

    assert {t.slug for t in Ptce.objects.get().themes.all()} == slugs


@pytest.mark.parametrize(
    ("cell", "status"),
    [("Publié", "published"), ("brouillon", "draft"), ("relecture", "review"), ("", "draft")],
)
def test_status_labels(tmp_path, cell, status):
    import_ptce_csv(write_csv(tmp_path, [{**PAYS_DE_BRAY, "statut": cell}]))

    assert Ptce.objects.get().status == status


def test_a_web_address_without_scheme_gets_https(tmp_path):
    import_ptce_csv(write_csv(tmp_path, [{**PAYS_DE_BRAY, "site_web": "figeacteurs.fr"}]))

    assert Ptce.objects.get().website == "https://figeacteurs.fr"


def test_headers_typed_by_hand_with_capitals_and_accents(tmp_path):
    header = ["Nom", "Commune INSEE", "Département", "Thématiques", "Statut"]
    path = write_csv(
        tmp_path,
        [{"Nom": "Fabricanova", "Commune INSEE": "38185", "Thématiques": "Culture"}],
        header=header,
    )

    result = import_ptce_csv(path)

    assert result.ok, [str(error) for error in result.errors]
    assert Ptce.objects.get().seat_commune == commune("38185")


def test_optional_summary_email_and_phone_columns(tmp_path):
    header = [*reference_header(), "resume", "courriel", "telephone"]
    row = {
        **PAYS_DE_BRAY,
        "resume": "Le pôle historique du Pays de Bray.",
        "courriel": "contact@paysdebray.example.org",
        "telephone": "03 44 00 00 00",
    }

    import_ptce_csv(write_csv(tmp_path, [row], header=header))

    ptce = Ptce.objects.get()
    assert ptce.summary == row["resume"]
    assert ptce.email == row["courriel"]
    assert ptce.phone == row["telephone"]


def test_a_namesake_in_another_departement_gets_its_own_address(tmp_path):
    first = PtceFactory(name="Fabricanova", slug="fabricanova", departement_code="03")

    import_ptce_csv(write_csv(tmp_path, [FABRICANOVA]))

    created = Ptce.objects.exclude(pk=first.pk).get()
    assert created.departement == departement("38")
    assert created.slug != first.slug
    assert created.slug.startswith("fabricanova")


# --- updates ----------------------------------------------------------------------------------
def test_a_known_ptce_is_updated_not_duplicated(tmp_path):
    existing = PtceFactory(name="Fabricanova", commune_code="38185", description="Ancien texte")

    out, _ = run_command(write_csv(tmp_path, [{**FABRICANOVA, "nom": "FABRICANOVA"}]))

    existing.refresh_from_db()
    assert existing.description == FABRICANOVA["description"]
    assert Ptce.objects.count() == 1
    assert "0 PTCE ont été créés." in out
    assert "1 PTCE ont été mis à jour." in out


def test_empty_cells_do_not_erase_what_curators_entered(tmp_path):
    existing = PtceFactory(
        name="PTCE du Pays de Bray",
        departement_code="60",
        carrying_structure="Association du Pays de Bray",
        year_founded=2012,
        website="https://paysdebray.example.org",
        status=PtceStatus.PUBLISHED,
        themes=["alimentation"],
    )

    result = import_ptce_csv(write_csv(tmp_path, [{**PAYS_DE_BRAY, "description": "Nouveau."}]))

    assert result.updated == ["PTCE du Pays de Bray"]
    existing.refresh_from_db()
    assert existing.description == "Nouveau."
    assert existing.carrying_structure == "Association du Pays de Bray"
    assert existing.year_founded == 2012
    assert existing.website == "https://paysdebray.example.org"
    assert existing.status == PtceStatus.PUBLISHED
    assert list(existing.themes.all()) == [theme("alimentation")]


def test_new_themes_replace_the_old_ones(tmp_path):
    existing = PtceFactory(name="PTCE du Pays de Bray", departement_code="60", themes=["habitat"])

    import_ptce_csv(write_csv(tmp_path, [{**PAYS_DE_BRAY, "thematiques": "culture"}]))

    assert list(existing.themes.all()) == [theme("culture")]


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = write_csv(tmp_path, [FABRICANOVA, PAYS_DE_BRAY])
    import_ptce_csv(path)
    stamps = dict(Ptce.objects.values_list("name", "updated_at"))

    out, _ = run_command(path)

    assert "0 PTCE ont été créés." in out
    assert "0 PTCE ont été mis à jour." in out
    assert "2 PTCE inchangé(s)." in out
    assert dict(Ptce.objects.values_list("name", "updated_at")) == stamps


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    PtceFactory(name="PTCE du Pays de Bray", departement_code="60", description="Ancien")

    out, _ = run_command(write_csv(tmp_path, [FABRICANOVA, PAYS_DE_BRAY]), "--dry-run")

    assert "[simulation] 1 PTCE seraient créés." in out
    assert "[simulation] 1 PTCE seraient mis à jour." in out
    assert not Ptce.objects.filter(name="Fabricanova").exists()
    assert Ptce.objects.get().description == "Ancien"


# --- refusals: all or nothing -----------------------------------------------------------------
BAD_ROWS = [
    # (row, column, value shown in the message)
    ({"nom": "Pôle fantôme", "commune_insee": "99999"}, "commune_insee", "99999"),
    ({"nom": "Pôle mal placé", "commune_insee": "03095", "departement": "63"}, "departement", "63"),
    (
        {**PAYS_DE_BRAY, "nom": "Pôle des astres", "thematiques": "astrologie"},
        "thematiques",
        "astrologie",
    ),
    ({**PAYS_DE_BRAY, "nom": "Pôle du futur", "annee_creation": "20x5"}, "annee_creation", "20x5"),
    ({"departement": "60", "description": "Sans nom"}, "nom", ""),
    (
        {**PAYS_DE_BRAY, "nom": "Pôle en ligne", "site_web": "pas une adresse"},
        "site_web",
        "pas une adresse",
    ),
]


def test_one_bad_row_and_nothing_is_written(tmp_path):
    rows = [FABRICANOVA, PAYS_DE_BRAY] + [row for row, _, _ in BAD_ROWS]
    path = write_csv(tmp_path, rows)
    before = Ptce.objects.count()

    err = StringIO()
    with pytest.raises(CommandError, match="aucune modification"):
        call_command("import_ptce", str(path), stdout=StringIO(), stderr=err)

    assert Ptce.objects.count() == before
    messages = err.getvalue().splitlines()
    for index, (_, column, value) in enumerate(BAD_ROWS):
        line = index + 4  # header is line 1, the two good rows are lines 2 and 3
        found = [m for m in messages if f"ligne {line}," in m and f"« {column} »" in m]
        assert found, f"no message for line {line}, column {column}: {messages}"
        if value:
            assert f"« {value} »" in found[0]


def test_the_service_returns_the_errors_without_writing(tmp_path):
    result = import_ptce_csv(write_csv(tmp_path, [FABRICANOVA, BAD_ROWS[0][0]]))

    assert not result.ok
    assert [error.line for error in result.errors] == [3]
    assert not Ptce.objects.exists()


def test_the_same_ptce_twice_in_one_file_is_an_error(tmp_path):
    rows = [FABRICANOVA, {**FABRICANOVA, "nom": "fabricanova", "description": "Autre"}]

    with pytest.raises(CommandError):
        run_command(write_csv(tmp_path, rows))

    assert not Ptce.objects.exists()


def test_a_year_in_the_future_is_refused(tmp_path):
    result = import_ptce_csv(write_csv(tmp_path, [{**PAYS_DE_BRAY, "annee_creation": "2999"}]))

    assert [error.column for error in result.errors] == ["annee_creation"]


def test_a_name_too_long_for_the_directory_is_refused(tmp_path):
    result = import_ptce_csv(write_csv(tmp_path, [{**PAYS_DE_BRAY, "nom": "P" * 201}]))

    assert [(error.line, error.column) for error in result.errors] == [(2, "nom")]
    assert not Ptce.objects.exists()


def test_an_unquoted_separator_in_a_cell_is_reported(tmp_path):
    path = tmp_path / "decale.csv"
    good = csv_text([PAYS_DE_BRAY])
    path.write_text(
        good + "Pôle décalé,,60,,,,,,,Texte, avec une virgule,publie,source\r\n", encoding="utf-8"
    )

    result = import_ptce_csv(path)

    assert [error.line for error in result.errors] == [3]
    assert "séparateur" in str(result.errors[0])
    assert not Ptce.objects.exists()


def test_an_invalid_email_is_refused(tmp_path):
    header = [*reference_header(), "courriel"]
    path = write_csv(tmp_path, [{**PAYS_DE_BRAY, "courriel": "contact@"}], header=header)

    result = import_ptce_csv(path)

    assert [error.column for error in result.errors] == ["courriel"]


def test_an_unknown_column_is_refused_with_the_expected_columns(tmp_path):
    header = [*reference_header(), "commentaire"]
    path = write_csv(tmp_path, [PAYS_DE_BRAY], header=header)

    with pytest.raises(CommandError) as caught:
        run_command(path)

    message = str(caught.value)
    assert "commentaire" in message
    for column in reference_header():
        assert column in message


def test_an_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "vide.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="vide"):
        run_command(path)


def test_a_header_without_rows_is_a_clear_error(tmp_path):
    with pytest.raises(CsvFormatError, match="aucune ligne"):
        import_ptce_csv(write_csv(tmp_path, []))


def test_a_binary_file_is_refused(tmp_path):
    with pytest.raises(CsvFormatError):
        import_ptce_csv(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        run_command(tmp_path / "absent.csv")


# --- real files and volume --------------------------------------------------------------------
def count_data_rows(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def test_the_vendored_files_import_as_published_ptces():
    expected = count_data_rows(REFERENCE_FILE) + count_data_rows(MORE_FILE)

    run_command(REFERENCE_FILE)
    run_command(MORE_FILE)

    assert expected == 67
    assert Ptce.objects.count() == 67
    assert Ptce.objects.published().count() == 67
    vichy_atelier = Ptce.objects.get(name="Atelier d'Art de Vichy")
    assert vichy_atelier.seat_commune == commune("03095")
    assert list(vichy_atelier.themes.all()) == [theme("culture")]


def test_two_thousand_rows_go_through_the_bulk_paths(tmp_path):
    codes = list(
        Territory.objects.of_kind(TerritoryKind.COMMUNE)
        .order_by("code")
        .values_list("code", flat=True)[:2000]
    )
    theme_cycle = ["culture", "habitat", "mobilite|numerique"]
    rows = [
        {
            "nom": f"PTCE généré {index}",
            "commune_insee": code,
            "thematiques": theme_cycle[index % 3],
            "statut": "publie",
        }
        for index, code in enumerate(codes)
    ]

    result = import_ptce_csv(write_csv(tmp_path, rows))

    assert len(result.created) == 2000
    assert Ptce.objects.published().count() == 2000
    expected_links = sum(len(row["thematiques"].split("|")) for row in rows)
    assert Ptce.themes.through.objects.count() == expected_links
    sample = Ptce.objects.get(name="PTCE généré 1997")
    assert sample.seat_commune.code == codes[1997]
    assert {t.slug for t in sample.themes.all()} == set(rows[1997]["thematiques"].split("|"))
    assert Ptce.objects.values("slug").distinct().count() == 2000
