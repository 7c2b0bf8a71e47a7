"""Writes of the ground floor that the public sees move the public-data version
(``core.cache``): territories, support types, schemes and resources. Bulk imports call it
themselves (``services/territory_import.py``)."""

from django.dispatch import Signal

from core.cache import connect_public_writes

from .models import Resource, Scheme, SupportType, Territory, TerritoryAncestry

connect_public_writes(
    models=[Territory, TerritoryAncestry, SupportType, Scheme, Resource],
    through_models=[Scheme.support_types.through],
)

# Sent by the territory import, inside its transaction, with ``ids``: the territories whose
# name it changed (bulk updates send no ``post_save``). Apps above listen to it to refresh
# what they copied of a name (the directory's search columns).
territories_renamed = Signal()
