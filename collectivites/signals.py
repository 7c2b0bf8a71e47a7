"""Writes of the ground floor that the public sees move the public-data version
(``core.cache``): territories, support types, schemes and resources. Bulk imports call it
themselves (``services/territory_import.py``)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core.cache import bump_public_version

from .models import Resource, Scheme, SupportType, Territory, TerritoryAncestry


def public_change(sender, raw=False, action=None, **kwargs):
    if raw or (action is not None and not action.startswith("post_")):
        return
    bump_public_version()


for _model in (Territory, TerritoryAncestry, SupportType, Scheme, Resource):
    post_save.connect(public_change, sender=_model, dispatch_uid=f"public-save-{_model.__name__}")
    post_delete.connect(public_change, sender=_model, dispatch_uid=f"public-del-{_model.__name__}")
m2m_changed.connect(
    public_change, sender=Scheme.support_types.through, dispatch_uid="public-scheme-types"
)
