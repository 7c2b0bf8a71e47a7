"""The curators' back-office in a browser: a regional curator imports a spreadsheet (a bad
row first, its error shown; then fixed), publishes the new PTCE, which appears in the public
directory; a visitor proposes a correction of it, the curator accepts it, and the public page
shows it."""

import csv
import io
import subprocess
import sys

import pytest
from conftest import PROJECT_ROOT
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

CURATOR = {"username": "cress-aura-e2e", "password": "Tournesol-Vert-8472!"}
NAME = "Pôle navigateur de l'Isère"
SLUG = "pole-navigateur-de-lisere"
HEADER = ["nom", "commune_insee", "departement", "thematiques", "statut", "resume"]


@pytest.fixture(scope="module")
def regional_curator(e2e_database):
    """A curator of Auvergne-Rhône-Alpes (84), made by ``manage.py create_curator``."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "create_curator",
            CURATOR["username"],
            "--email",
            "cress-aura-e2e@example.org",
            "--region",
            "84",
        ],
        cwd=PROJECT_ROOT,
        env={**e2e_database, "CURATOR_PASSWORD": CURATOR["password"]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return CURATOR


def spreadsheet(tmp_path, rows, name):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(row)
    path = tmp_path / name
    path.write_bytes(out.getvalue().encode("utf-8-sig"))  # as Excel saves a CSV
    return path


def log_in(page, credentials):
    page.goto("/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(credentials["username"])
    page.get_by_label("Mot de passe").fill(credentials["password"])
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()


def test_a_curator_imports_publishes_then_accepts_a_visitors_correction(
    page, browser, base_url, regional_curator, tmp_path
):
    good = [NAME, "38185", "38", "culture", "relecture", "Un pôle importé depuis un tableur."]
    bad = ["Pôle sans commune", "99999", "", "", "brouillon", ""]

    log_in(page, regional_curator)
    page.goto("/admin/directory/ptce/")
    page.get_by_role("link", name="Importer un tableur").click()

    # A file with one bad row: its error, and nothing to confirm.
    page.get_by_label("Fichier CSV ou Excel (.xlsx)").set_input_files(
        spreadsheet(tmp_path, [good, bad], "ptce.csv")
    )
    page.get_by_role("button", name="Voir l’aperçu").click()
    errors = page.get_by_role("table", name="Erreurs par ligne")
    expect(errors).to_contain_text("commune_insee")
    expect(errors).to_contain_text("99999")
    expect(errors).to_contain_text("commune inconnue")
    expect(page.get_by_role("button", name="Confirmer l’import")).to_have_count(0)

    # Fixed: the preview, then the import.
    page.get_by_label("Fichier CSV ou Excel (.xlsx)").set_input_files(
        spreadsheet(tmp_path, [good], "ptce-corrige.csv")
    )
    page.get_by_role("button", name="Voir l’aperçu").click()
    expect(page.get_by_role("table", name="Créations")).to_contain_text(NAME)
    page.get_by_role("button", name="Confirmer l’import").click()
    expect(page.locator(".messagelist")).to_contain_text("1 PTCE créé(s)")

    # Publish it (review → published).
    page.get_by_role("link", name=NAME).click()
    page.get_by_label("Statut de publication").select_option(label="Publié")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(NAME)

    # It is in the public directory.
    page.goto("/ptce/?q=navigateur")
    expect(page.get_by_role("link", name=NAME).first).to_be_visible()

    # A visitor (another browser context, not logged in) proposes a correction.
    visitor = browser.new_context(base_url=base_url)
    try:
        public = visitor.new_page()
        public.goto(f"/ptce/{SLUG}/")
        public.get_by_role("link", name="Proposer une correction").click()
        public.get_by_label("Résumé").fill("Un pôle corrigé par un visiteur.")
        public.get_by_role("button", name="Envoyer la proposition").click()
        expect(public.get_by_role("heading", level=1)).to_have_text("Merci pour votre proposition")
        # Nothing a visitor sends is published.
        public.goto(f"/ptce/{SLUG}/")
        expect(public.locator("main")).not_to_contain_text("Un pôle corrigé par un visiteur.")
    finally:
        visitor.close()

    # The curator accepts it in the queue.
    page.goto("/admin/suggestions/suggestion/")
    page.get_by_role("link", name=NAME).first.click()
    expect(page.locator("body")).to_contain_text("Un pôle corrigé par un visiteur.")
    page.get_by_role("button", name="Accepter", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("acceptée")

    # The public page shows it.
    page.goto(f"/ptce/{SLUG}/")
    expect(page.locator("main")).to_contain_text("Un pôle corrigé par un visiteur.")
