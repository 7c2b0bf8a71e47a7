"""Facet counts against a count made by hand: for every filter option, the number beside it
is the number of published PTCEs that the other filters keep and that have the option (the
options of one filter combine with "or"), whatever combination of filters is chosen."""

import random

import pytest

from directory.models import LegalForm, PtceStatus, Stage, Support, Theme
from directory.models.choices import Charter

from .directory_helpers import facet, get_list, make_ptce
from .factories import commune, support_type
from .shared_data import rolled_back

pytestmark = pytest.mark.django_db

SUPPORT_SLUGS = ["investissement", "foncier-locaux", "fonctionnement-animation"]
CHARTER_PARAMETER = {Charter.YES: "oui", Charter.NO: "non"}


@pytest.fixture(scope="class")
def scene(django_db_setup, django_db_blocker):
    """``make_scene()``, once for the class (``tests/shared_data.py``)."""
    with rolled_back(django_db_blocker):
        yield make_scene()


def make_scene():
    """Thirty PTCEs drawn with a fixed seed over every facet (some with none), a support
    type given twice to the same PTCE by two collectivités, and drafts matching
    everything. Returns what each published PTCE has, as the visitor's filters name it."""
    rng = random.Random(8)
    stages = [None, *Stage.objects.values_list("slug", flat=True)]
    forms = [None, *LegalForm.objects.values_list("slug", flat=True)]
    themes = list(Theme.objects.values_list("slug", flat=True)[:4])
    published = []
    for number in range(30):
        entry = {
            "stage": rng.choice(stages),
            "legal_form": rng.choice(forms),
            "charter": rng.choice(list(CHARTER_PARAMETER.values())),
            "theme": set(rng.sample(themes, rng.randint(0, 2))),
            "support": set(rng.sample(SUPPORT_SLUGS, rng.randint(0, 2))),
        }
        status = PtceStatus.DRAFT if number % 10 == 9 else PtceStatus.PUBLISHED
        ptce = make_ptce(
            f"Pôle {number:02d}",
            commune="03095",
            themes=sorted(entry["theme"]),
            supports=sorted(entry["support"]),
            stage_slug=entry["stage"],
            legal_form_slug=entry["legal_form"],
            charter_signed=entry["charter"],
            status=status,
        )
        if entry["support"] and number % 3 == 0:  # the same type again, from the commune
            Support.objects.create(
                ptce=ptce,
                collectivite=commune("03095"),
                support_type=support_type(sorted(entry["support"])[0]),
            )
        if status == PtceStatus.PUBLISHED:
            published.append(entry)
    return published, {"stage": stages[1:], "legal_form": forms[1:], "theme": themes}


def _has(entry, name, values):
    if name in ("theme", "support"):
        return bool(entry[name] & set(values))
    return entry[name] in values


def expected(published, selection, name, option):
    """PTCEs kept by every selected filter but ``name``, having ``option``."""
    return sum(
        1
        for entry in published
        if _has(entry, name, [option])
        and all(_has(entry, other, values) for other, values in selection.items() if other != name)
    )


SELECTIONS = [
    {},
    {"stage": [0]},
    {"stage": [0, 1]},
    {"legal_form": [0]},
    {"charter": ["oui"]},
    {"stage": [1], "legal_form": [0, 2]},
    {"stage": [0], "legal_form": [1], "charter": ["non"]},
    {"theme": [0]},
    {"theme": [0, 1], "stage": [2]},
    {"support": ["investissement"], "legal_form": [1]},
    {"support": ["investissement", "foncier-locaux"], "theme": [2], "charter": ["oui"]},
]


class TestFacetCounts:
    """One scene for every selection (``scene`` is class-scoped)."""

    @pytest.mark.parametrize("selection_index", range(len(SELECTIONS)))
    def test_every_count_is_what_choosing_the_option_would_give(
        self, client, scene, db, selection_index
    ):
        published, options = scene
        selection = {
            name: [options[name][i] if isinstance(i, int) else i for i in values]
            for name, values in SELECTIONS[selection_index].items()
        }
        response = get_list(
            client, [(name, v) for name, values in selection.items() for v in values]
        )
        assert response.status_code == 200
        shown_options = {**options, "support": SUPPORT_SLUGS, "charter": ["oui", "non"]}
        for name, values in shown_options.items():
            shown = facet(response, name)
            for option in values:
                assert shown[option] == expected(published, selection, name, option), (
                    name,
                    option,
                    selection,
                )
