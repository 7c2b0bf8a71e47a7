"""The public-data version: one row, moved after every committed write the public can see.

Everything cached about public data is keyed by it (see ``core.cache``), so that any number
of processes, each with its own cache or sharing one, agree from their next request on."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SINGLE_ROW = 1


class PublicDataVersion(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLE_ROW)
    value = models.BigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("modifiée le"), default=timezone.now)

    class Meta:
        verbose_name = _("version des données publiques")
        verbose_name_plural = _("versions des données publiques")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(id=SINGLE_ROW), name="public_data_version_one_row")
        ]

    def __str__(self):
        return f"{self.value} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


def coordinates_constraint(name):
    """Latitude and longitude both set, within range, or both empty."""
    return models.CheckConstraint(
        condition=Q(latitude__isnull=True, longitude__isnull=True)
        | Q(
            latitude__isnull=False,
            longitude__isnull=False,
            latitude__gte=-90,
            latitude__lte=90,
            longitude__gte=-180,
            longitude__lte=180,
        ),
        name=name,
    )


FIRST_YEAR, LAST_YEAR = 1900, 2100


def year_range_constraint(field, name, first=FIRST_YEAR, last=LAST_YEAR):
    """``field`` empty or a year within [first, last]."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": first, f"{field}__lte": last}),
        name=name,
    )
