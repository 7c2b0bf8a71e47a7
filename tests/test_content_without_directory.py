"""Loading the first content on a portal whose directory is empty or incomplete."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from collectivites.models import Resource, Scheme
from directory.models import Experience, Ptce, Support

from .factories import PtceFactory

pytestmark = pytest.mark.django_db


def content_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Ptce, Support, Experience, Scheme, Resource)
    }


def test_load_content_without_ptces_fails_and_writes_nothing():
    with pytest.raises(CommandError, match="importez d'abord les PTCE"):
        call_command("load_content", stdout=StringIO())

    assert sum(content_counts().values()) == 0


def test_load_content_with_some_ptces_missing_writes_nothing_at_all():
    # The first supports of the seed name this PTCE; later ones name PTCEs not imported.
    PtceFactory(name="Atelier d'Art de Vichy", commune_code="03095")

    with pytest.raises(CommandError, match="Pôle Habitat Durable"):
        call_command("load_content", stdout=StringIO())

    assert content_counts() == {**dict.fromkeys(content_counts(), 0), "Ptce": 1}


def test_load_content_with_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("load_content", str(tmp_path / "absent.json"), stdout=StringIO())
