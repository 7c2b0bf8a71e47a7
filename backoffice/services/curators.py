"""Creating or updating a back-office account with its role, for ``create_curator``.

The password comes from ``CURATOR_PASSWORD`` in the environment; without it, the account has
no usable password and a link to choose one is given (the password reset link of the admin,
valid ``PASSWORD_RESET_TIMEOUT`` seconds)."""

import os
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from collectivites.models import Territory, TerritoryKind

from ..models import CuratorProfile, Role


class CuratorError(ValueError):
    pass


@dataclass
class CuratorResult:
    user: object
    created: bool
    description: str
    password_link: str | None


def _regions(codes):
    regions = list(Territory.objects.filter(kind=TerritoryKind.REGION, code__in=codes))
    missing = sorted(set(codes) - {region.code for region in regions})
    if missing:
        raise CuratorError(f"Région inconnue : {', '.join(missing)} (code INSEE, ex. 84).")
    return regions


def _collectivite(value):
    kind, _, code = (value or "").partition(":")
    if kind not in TerritoryKind.values or not code:
        raise CuratorError(
            "--collectivite attend NIVEAU:CODE, ex. departement:60 ou commune:03095."
        )
    territory = Territory.objects.filter(kind=kind, code=code.upper()).first()
    if territory is None:
        raise CuratorError(f"Collectivité inconnue : {value}.")
    return territory


def create_or_update_curator(
    username, *, email, national=False, reader=False, regions=(), collectivite=None
):
    try:
        validate_email(email)
    except ValidationError as error:
        raise CuratorError(f"Adresse invalide : {email}.") from error
    if national:
        role = Role.NATIONAL
    elif reader:
        role = Role.READER
    elif collectivite:
        role = Role.COLLECTIVITE
    elif regions:
        role = Role.REGIONAL
    else:
        raise CuratorError("Indiquez --region CODE, --national, --reader ou --collectivite.")
    if regions and role != Role.REGIONAL:
        raise CuratorError("--region ne vaut que pour un curateur régional.")
    region_rows = _regions(regions) if regions else []
    territory = _collectivite(collectivite) if collectivite else None
    password = os.environ.get("CURATOR_PASSWORD")
    with transaction.atomic():
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email}
        )
        user.email = email
        user.is_staff = True
        user.is_active = True
        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CuratorError(
                    "CURATOR_PASSWORD refusé : " + " ".join(error.messages)
                ) from error
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.save()
        profile, _ = CuratorProfile.objects.update_or_create(
            user=user, defaults={"role": role, "collectivite": territory}
        )
        profile.regions.set(region_rows)
    link = None if password else _password_link(user)
    return CuratorResult(user, created, _describe(profile, region_rows, territory), link)


def _describe(profile, regions, territory):
    text = profile.get_role_display()
    if regions:
        text += " (" + ", ".join(region.name for region in regions) + ")"
    if territory:
        text += f" ({territory.authority_name})"
    return text


def _password_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"
