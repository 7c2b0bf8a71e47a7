"""Helpers for the back-office tests: accounts with a role, and the POST data of an admin
change form as the browser would send it back unchanged."""

from django.contrib.auth import get_user_model

from backoffice.models import CuratorProfile, Role
from collectivites.models import Territory, TerritoryKind

PASSWORD = "Un-mot-de-passe-solide-2026"


def make_curator(username, role, regions=(), collectivite=None):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True
    )
    profile = CuratorProfile.objects.create(user=user, role=role, collectivite=collectivite)
    profile.regions.set(Territory.objects.filter(kind=TerritoryKind.REGION, code__in=regions))
    return user


def regional(code="84"):
    return make_curator(f"cress-{code}", Role.REGIONAL, regions=[code])


def _value(field, value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [getattr(item, "pk", item) for item in value]
    return getattr(value, "pk", value)


def change_form_data(response):
    """The fields of the admin form in ``response`` (its context), with their current
    values, and the management forms of its inlines."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "all"):
            value = list(value.all())
        if value is None or value == "":
            continue
        data[name] = _value(field, value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, subform in enumerate(formset.initial_forms):
            for name in subform.fields:
                value = subform.initial.get(name)
                if value not in (None, ""):
                    data[f"{prefix}-{index}-{name}"] = _value(None, value)
    return data
