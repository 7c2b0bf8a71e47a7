"""Synthetic PTCEs for the benchmarks, as the importer's CSV (no Django needed).

``synthetic_csv(count, seed)``: real communes (with a town-hall point) and their
département, one to three themes, a stage, a legal form, names and descriptions built from
French word lists, all ``publie``; the same seed gives the same file. ``directory.py`` also
uses the word lists to add supports and members.
"""

import csv
import io
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _words(text, separator="|"):
    return text.split(separator)


HEADER = _words(
    "nom,commune_insee,departement,thematiques,forme_juridique,stade,structure_porteuse,"
    "annee_creation,site_web,description,statut,source",
    ",",
)
THEMES = _words(
    "economie-circulaire alimentation habitat culture insertion-emploi transition-energetique"
    " mobilite numerique tourisme sante-social entrepreneuriat industrie-artisanat",
    " ",
)
STAGES = _words("gestation emergence developpement consolidation", " ")
LEGAL_FORMS = _words("association scic scop sas gie gip groupement autre", " ")
SUPPORT_TYPES = _words(
    "reperage-mise-en-lien fonctionnement-animation investissement conseil-ingenierie"
    " foncier-locaux commande-publique capital-scic strategie-schemas",
    " ",
)
PREFIXES = _words(
    "Pôle Fabrique Coopérative Tiers-lieu Atelier Maison Réseau Collectif Plateforme Cluster"
    " Ressourcerie Ferme",
    " ",
)
QUALIFIERS = _words(
    "de la transition|des savoir-faire|solidaire|coopératif|de l'économie circulaire|"
    "des circuits courts|du réemploi|de l'habitat partagé|numérique|des mobilités|culturel|"
    "agricole|artisanal|de l'insertion"
)
ACTORS = _words(
    "des associations, des entreprises et des collectivités|"
    "des structures de l'ESS et des artisans|des agriculteurs, des cantines et des élus|"
    "des entreprises d'insertion et des PME|des acteurs culturels et des communes|"
    "des bailleurs sociaux et des habitants"
)
ACTIVITIES = _words(
    "une recyclerie|une légumerie|un atelier de réparation de vélos|une conserverie|"
    "un garage solidaire|une épicerie solidaire|un chantier d'insertion|"
    "une plateforme de compostage|un espace de coworking|un fablab|une cuisine partagée|"
    "une scierie coopérative|une filière bois local|une monnaie locale|un jardin partagé|"
    "une boutique de créateurs|une ferme urbaine|un service de covoiturage|"
    "une école de production|une salle de spectacle"
)
RESOURCES = _words(
    "des locaux|du matériel|des emplois partagés|un véhicule utilitaire|"
    "une plateforme logistique|des compétences"
)
MEMBER_KINDS = [
    ("ess", "Association {}"),
    ("ess", "Recyclerie {}"),
    ("entreprise", "SARL {}"),
    ("entreprise", "Menuiserie {}"),
    ("formation", "Lycée professionnel {}"),
    ("recherche", "Laboratoire {}"),
    ("autre", "Fondation {}"),
]
MEMBER_WORDS = ["du Bocage", "des Quatre Vents", "Horizon", "l'Étincelle", "du Val", "Avenir"]


def _communes():
    """Real communes having a town-hall point: (code, name, département)."""
    with (ROOT / "fixtures" / "territories" / "communes.csv").open(encoding="utf-8") as file:
        return [
            (row["code"], row["name"], row["departement"])
            for row in csv.DictReader(file)
            if row["latitude"] and row["longitude"]
        ]


def _description(rng, prefix, commune):
    first, second = rng.sample(ACTIVITIES, 2)
    sentences = [
        f"{prefix} de coopération qui réunit {rng.choice(ACTORS)} autour de {first}.",
        f"Il développe {second} sur le territoire de {commune}.",
    ]
    if rng.random() < 0.6:
        sentences.append(f"Ses membres mutualisent {rng.choice(RESOURCES)}.")
    return " ".join(sentences)


def synthetic_csv(count, seed=2026):
    """``count`` published PTCEs as the importer's CSV (bytes): real communes with their
    département, one to three themes, a stage, a legal form, French-ish names and texts."""
    rng = random.Random(seed)
    communes = _communes()
    taken = set()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(count):
        code, commune, departement = rng.choice(communes)
        prefix = rng.choice(PREFIXES)
        name = f"{prefix} {rng.choice(QUALIFIERS)} de {commune}"
        suffix = 2
        while (name.casefold(), departement) in taken:
            name = f"{prefix} {rng.choice(QUALIFIERS)} de {commune} {suffix}"
            suffix += 1
        taken.add((name.casefold(), departement))
        website = f"https://pole-{n}.example.org" if rng.random() < 0.6 else ""
        writer.writerow(
            [
                name,
                code,
                departement,
                "|".join(rng.sample(THEMES, rng.randint(1, 3))),
                rng.choice(LEGAL_FORMS),
                rng.choice(STAGES),
                f"Association {rng.choice(MEMBER_WORDS)}" if rng.random() < 0.5 else "",
                rng.randint(1995, 2025),
                website,
                _description(rng, prefix, commune),
                "publie",
                "Jeu synthétique (scripts/bench/directory.py)",
            ]
        )
    return out.getvalue().encode()
