"""Template filters for French place names (``collectivites.grammar``):
``{{ territory|de }}`` « de l'Allier », ``{{ "Le Havre"|de }}`` « du Havre »,
``{{ territory|a }}`` « à Cusset », ``{{ territory|dans }}`` « en Occitanie »,
``{{ territory|collectivite }}`` « le Département de l'Oise ».

A territory gives its own article (its TNCC, its kind); any other text is read as written:
« Le », « La », « Les », « L' » at its start are its article."""

from django import template

from collectivites import grammar

register = template.Library()


def _is_territory(value):
    return hasattr(value, "phrase") and hasattr(value, "in_name")


@register.filter
def de(value):
    """« de » and the name: « du Finistère », « d'Occitanie », « de La Rochelle »."""
    return value.of_name if _is_territory(value) else grammar.of_text(value)


@register.filter
def a(value):
    """« à » and the name: « au Mans », « aux Abymes », « à Cusset »."""
    return value.to_name if _is_territory(value) else grammar.to_text(value)


@register.filter
def dans(value):
    """Where: « en Occitanie », « dans le Finistère », « à Cusset » (a territory only)."""
    return value.in_name if _is_territory(value) else grammar.to_text(value)


@register.filter
def collectivite(value, form="le"):
    """The collectivité behind a territory: ``le`` (default) « le Département de l'Oise »,
    ``de`` « du Département de l'Oise », ``à`` « au Département de l'Oise »."""
    if not _is_territory(value):
        return value
    return {"de": value.of_authority, "à": value.to_authority}.get(form, value.the_authority)
