"""The house's layers hold for imports, models, migrations, templates and URL names.

core            generic helpers and the cache module: depends on no app of the portal
collectivites   ground floor: territories, support types, schemes, resources
directory       PTCEs, and what ties a collectivité to a PTCE (supports, experiences)
pages, api,     on top: pages that combine everything, the JSON endpoints, the curators'
backoffice,     back-office (roles, permissions, every admin), the public's suggestions
suggestions,    (moderated by the back-office, which alone may import them), the e-mail
alerts          alerts (the back-office shows their counts)
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

BASE = Path(settings.BASE_DIR)
LAYERS = [
    "core",
    "collectivites",
    "directory",
    "pages",
    "api",
    "backoffice",
    "suggestions",
    "alerts",
]
ABOVE = {app: set(LAYERS[index + 1 :]) | {"ptce_portal"} for index, app in enumerate(LAYERS)}
# pages, api, backoffice and suggestions are all on top: none imports another, except that
# the back-office, which holds every ModelAdmin, moderates the suggestions (never the reverse).
TOP = {"pages", "api", "backoffice", "suggestions", "alerts"}
for _app in TOP:
    ABOVE[_app] = (TOP - {_app}) | {"ptce_portal"}
ABOVE["backoffice"].discard("suggestions")
ABOVE["backoffice"].discard("alerts")
STATUS_LITERALS = re.compile(r"""["'](published|draft|review|archived)["']""")


def python_files(app):
    return sorted(path for path in (BASE / app).rglob("*.py") if "__pycache__" not in path.parts)


def imported_apps(path):
    """Top-level package names imported by a module (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", LAYERS)
def test_no_module_imports_an_app_above_its_own(app):
    offenders = {
        str(path.relative_to(BASE)): sorted(imported_apps(path) & ABOVE[app])
        for path in python_files(app)
        if imported_apps(path) & ABOVE[app]
    }
    assert offenders == {}


def test_core_imports_no_app_of_the_portal():
    portal = set(LAYERS) - {"core"}
    assert {
        str(path): sorted(imported_apps(path) & portal)
        for path in python_files("core")
        if imported_apps(path) & portal
    } == {}


@pytest.mark.parametrize("app", ["core", "collectivites"])
def test_models_of_the_lower_floors_relate_to_nothing_above(app):
    upward = []
    for model in apps.get_app_config(app).get_models():
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or (field.auto_created and not field.concrete):
                continue  # reverse relations are declared by the other side
            related = field.related_model
            if related is not None and related._meta.app_label in ABOVE[app]:
                upward.append(f"{model.__name__}.{field.name} → {related._meta.label}")
    assert upward == []


def test_the_ground_floor_has_models_and_the_upper_ones_point_down_to_it():
    """The check above would pass on an empty app: the relations exist, downwards."""
    from directory.models import Ptce, Support

    assert Ptce._meta.get_field("departement").related_model._meta.app_label == "collectivites"
    assert Support._meta.get_field("collectivite").related_model._meta.app_label == (
        "collectivites"
    )
    assert {m.__name__ for m in apps.get_app_config("collectivites").get_models()} >= {
        "Territory",
        "SupportType",
        "Scheme",
        "Resource",
    }


@pytest.mark.parametrize("app", LAYERS)
def test_migrations_depend_on_nothing_above(app):
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    upward = sorted(
        f"{node[0]}.{node[1]} → {parent.key[0]}.{parent.key[1]}"
        for node in graph.nodes
        if node[0] == app
        for parent in graph.node_map[node].parents
        if parent.key[0] in ABOVE[app]
    )
    assert upward == []


def test_a_directory_migration_does_depend_on_the_ground_floor():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    parents = {parent.key[0] for parent in graph.node_map[("directory", "0001_initial")].parents}
    assert "collectivites" in parents


def ground_floor_texts():
    templates = sorted((BASE / "templates" / "collectivites").rglob("*.html"))
    return [*templates, *python_files("collectivites")]


def test_the_ground_floor_names_no_url_template_or_status_of_the_apps_above():
    named = re.compile(r"""["'](directory|pages|api|map)[:/]""")
    offenders = []
    for path in ground_floor_texts():
        text = path.read_text(encoding="utf-8")
        for pattern in (named, STATUS_LITERALS):
            offenders += [f"{path.relative_to(BASE)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def test_the_scan_of_the_ground_floor_would_see_an_upward_name(tmp_path):
    """The text check above is not vacuous: the patterns catch what they look for."""
    named = re.compile(r"""["'](directory|pages|api|map)[:/]""")
    assert named.search("""{% url 'pages:home' %}""")
    assert named.search("""{% include "directory/includes/x.html" %}""")
    assert STATUS_LITERALS.search("""filter(ptce__status="published")""")
    assert imported_apps(_module(tmp_path, "from directory.models import Ptce\n")) == {"directory"}


def _module(folder, text):
    path = folder / "module.py"
    path.write_text(text, encoding="utf-8")
    return path
