"""What each curator may do: the one place that decides, used by every ModelAdmin, form,
inline, action, import and export of the back-office.

Roles (``backoffice.models.Role``):

- **national** (RTES, and every superuser): everything;
- **regional** (a CRESS): sees everything; creates, changes, deletes, sends to review and
  publishes the PTCEs of its région(s) (by the PTCE's département) and the supports and
  experiences of its région(s) (by the collectivité's région, or by the PTCE's département);
  nothing else, whatever the path, and cannot move an entry out of its région or another's
  into it;
- **collectivite** (« Ma collectivité »): sees; proposes supports its collectivité gives and
  experiences it lived (moderated by the curators of the région);
- **reader**: sees, changes nothing. A staff account without a profile is a reader.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.functional import cached_property

from collectivites.models import TerritoryAncestry, TerritoryKind
from directory.models import PtceStatus

from .models import CuratorProfile, Role

# Allowed moves of a PTCE's publication status (the same status is no move).
TRANSITIONS = {
    PtceStatus.DRAFT: {PtceStatus.REVIEW},
    PtceStatus.REVIEW: {PtceStatus.DRAFT, PtceStatus.PUBLISHED},
    PtceStatus.PUBLISHED: {PtceStatus.ARCHIVED, PtceStatus.REVIEW},
    PtceStatus.ARCHIVED: {PtceStatus.DRAFT},
}


@dataclass(frozen=True)
class Scope:
    role: str
    region_ids: frozenset = field(default_factory=frozenset)
    collectivite_id: int | None = None

    @property
    def is_national(self):
        return self.role == Role.NATIONAL

    @property
    def is_regional(self):
        return self.role == Role.REGIONAL

    @property
    def is_contributor(self):
        return self.role == Role.COLLECTIVITE

    @property
    def can_edit_anything(self):
        return self.role in (Role.NATIONAL, Role.REGIONAL)

    @cached_property
    def departement_ids(self):
        """The départements of the scope's régions."""
        if not self.region_ids:
            return frozenset()
        return frozenset(
            TerritoryAncestry.objects.filter(
                ancestor_id__in=self.region_ids, territory__kind=TerritoryKind.DEPARTEMENT
            ).values_list("territory_id", flat=True)
        )


NOBODY = Scope(Role.READER)


def scope_of(user):
    """The scope of a user (remembered on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return NOBODY
    cached = getattr(user, "_curator_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(Role.NATIONAL)
    else:
        profile = CuratorProfile.objects.filter(user=user).first()
        if profile is None:
            scope = NOBODY
        else:
            scope = Scope(
                profile.role,
                frozenset(profile.regions.values_list("pk", flat=True)),
                profile.collectivite_id,
            )
    user._curator_scope = scope
    return scope


def region_ids_of(territory_id):
    """The région(s) a territory lies in (or is)."""
    ids = set(
        TerritoryAncestry.objects.filter(
            territory_id=territory_id, ancestor__kind=TerritoryKind.REGION
        ).values_list("ancestor_id", flat=True)
    )
    if TerritoryAncestry.objects.filter(ancestor_id=territory_id).exists() and not ids:
        ids.add(territory_id)  # a région has descendants and no région above it
    return ids


# --- PTCEs ---------------------------------------------------------------------------------
def may_place_ptce(scope, departement_id):
    """Whether the scope may hold a PTCE of this département (create it there, move it
    there)."""
    if scope.is_national:
        return True
    return scope.is_regional and departement_id in scope.departement_ids


def may_change_ptce(scope, ptce=None):
    """``ptce`` None: whether the scope may change some PTCE (lists, forms)."""
    if ptce is None:
        return scope.can_edit_anything
    return may_place_ptce(scope, ptce.departement_id)


may_delete_ptce = may_change_ptce


def may_move_status(scope, ptce, old, new):
    """Whether ``ptce`` may go from status ``old`` to ``new`` for this scope."""
    if old == new:
        return True
    if not may_change_ptce(scope, ptce):
        return False
    return new in TRANSITIONS.get(old, set())


def ptces_in_scope(scope, queryset):
    """The PTCEs of ``queryset`` this scope may change."""
    if scope.is_national:
        return queryset
    if scope.is_regional:
        return queryset.filter(departement_id__in=scope.departement_ids)
    return queryset.none()


def ptces_exportable(scope, queryset):
    """The PTCEs of ``queryset`` this scope may export (back-office exports): the published
    ones, public anyway, and the others (drafts, reviews, archives) only where it may
    change them: a regional curator exports the drafts of its région(s), never another's."""
    if scope.is_national:
        return queryset
    published = Q(status=PtceStatus.PUBLISHED)
    if scope.is_regional:
        return queryset.filter(published | Q(departement_id__in=scope.departement_ids))
    return queryset.filter(published)


# --- supports and experiences ----------------------------------------------------------------
def may_change_link(scope, collectivite_id=None, ptce=None):
    """Supports and experiences: a regional curator holds those whose collectivité lies in
    its région(s) or whose PTCE does; a contributor those of its own collectivité."""
    if scope.is_national:
        return True
    # Contributors will propose (a review status on supports and experiences comes first):
    # until then they change nothing.
    if not scope.is_regional:
        return False
    if collectivite_id is None and ptce is None:
        return True  # may change some
    if ptce is not None and ptce.departement_id in scope.departement_ids:
        return True
    return collectivite_id is not None and bool(region_ids_of(collectivite_id) & scope.region_ids)


# --- everything else (territories, reference lists, schemes, resources, accounts) ------------
def may_change_shared(scope):
    return scope.is_national
