"""What each curator may do: the one place that decides, used by every ModelAdmin, form,
inline, action, import and export of the back-office.

Roles (``backoffice.models.Role``):

- **national** (RTES, and every superuser): everything;
- **regional** (a CRESS): sees everything; creates, changes, deletes, sends to review and
  publishes the PTCEs of its région(s) (by the PTCE's département) and the supports and
  experiences of its région(s) (by the collectivité's région, or by the PTCE's département);
  nothing else, whatever the path, and cannot move an entry out of its région or another's
  into it;
- **collectivite** (« Ma collectivité »): sees the PTCEs of its territory; proposes supports
  its collectivité gives and experiences it lived, to PTCEs of its territory, as drafts it
  may send to review and change while in draft or review, never publish (the curators of
  the collectivité's région review them);
- **reader**: sees, changes nothing. A staff account without a profile is a reader.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.functional import cached_property

from collectivites.models import Territory, TerritoryAncestry, TerritoryKind
from directory.models import Experience, Ptce, PtceStatus, Support

from .models import CuratorProfile, Role

# Allowed moves of the publication status of a PTCE, a support or an experience (the same
# status is no move).
TRANSITIONS = {
    PtceStatus.DRAFT: {PtceStatus.REVIEW},
    PtceStatus.REVIEW: {PtceStatus.DRAFT, PtceStatus.PUBLISHED},
    PtceStatus.PUBLISHED: {PtceStatus.ARCHIVED, PtceStatus.REVIEW},
    PtceStatus.ARCHIVED: {PtceStatus.DRAFT},
}
# What a new entry may start as, and the statuses a contributor may give and edit.
NEW_STATUSES = {PtceStatus.DRAFT, PtceStatus.REVIEW}
CONTRIBUTOR_STATUSES = NEW_STATUSES


def allowed_move(old, new):
    """Whether the transition rules allow ``old`` → ``new`` (``old`` None: a new entry)."""
    if old is None:
        return new in NEW_STATUSES
    return old == new or new in TRANSITIONS.get(old, set())


# The statuses a new PTCE may start with (publishing goes through review).
CREATION_STATUSES = {PtceStatus.DRAFT, PtceStatus.REVIEW}


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
    return allowed_move(old, new)


def may_import_ptces(scope):
    """Spreadsheet imports: curators only (each row is then checked by
    ``import_row_problems``)."""
    return scope.can_edit_anything


def import_row_problems(scope, departement_id, current, new_status):
    """``[(column, message)]``: why an import row may not create (``current`` None) or
    update ``current``, a PTCE of ``departement_id`` with status ``new_status`` (None: the
    cell was empty). The same rules as the change form."""
    if current is None:
        problems = []
        if not may_place_ptce(scope, departement_id):
            problems.append(("departement", "département hors de votre ressort"))
        if new_status and new_status not in CREATION_STATUSES:
            problems.append(
                ("statut", "un nouveau PTCE entre en brouillon ou en relecture, pas au-delà")
            )
        return problems
    if not may_change_ptce(scope, current):
        return [("nom", "ce PTCE est d'un département hors de votre ressort")]
    if not may_place_ptce(scope, departement_id):
        return [("departement", "département hors de votre ressort")]
    if new_status and not may_move_status(scope, current, current.status, new_status):
        old, new = PtceStatus(current.status).label, PtceStatus(new_status).label
        return [("statut", f"passage du statut « {old} » à « {new} » non permis")]
    return []


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
    """Where a support or an experience may be (created, moved): a regional curator holds
    those whose collectivité lies in its région(s) or whose PTCE does; a contributor those
    of its own collectivité naming a PTCE of its territory (or none, for an experience)."""
    if scope.is_national:
        return True
    if scope.is_contributor:
        if collectivite_id is None and ptce is None:
            return True  # may propose some
        if collectivite_id != scope.collectivite_id:
            return False
        return ptce is None or contributor_ptces(scope).filter(pk=ptce.pk).exists()
    if not scope.is_regional:
        return False
    if collectivite_id is None and ptce is None:
        return True  # may change some
    if ptce is not None and ptce.departement_id in scope.departement_ids:
        return True
    return collectivite_id is not None and bool(region_ids_of(collectivite_id) & scope.region_ids)


def may_change_entry(scope, entry=None):
    """Whether the scope may change (or delete) this support or experience as it is now;
    ``entry`` None: whether it may change some. A contributor changes its own entries while
    they are drafts or in review."""
    if entry is None:
        return scope.can_edit_anything or scope.is_contributor
    if scope.is_contributor:
        return (
            entry.collectivite_id == scope.collectivite_id and entry.status in CONTRIBUTOR_STATUSES
        )
    return may_change_link(scope, entry.collectivite_id, entry.ptce)


def may_move_entry_status(scope, entry, old, new):
    """Whether a support or an experience may go from ``old`` (None: new) to ``new``: the
    transition rules, and a contributor never gives a status beyond review."""
    if old == new:
        return True
    if entry is not None and entry.pk is not None and not may_change_entry(scope, entry):
        return False
    if scope.is_contributor and new not in CONTRIBUTOR_STATUSES:
        return False
    if not (scope.can_edit_anything or scope.is_contributor):
        return False
    return allowed_move(old, new)


def may_move(scope, obj, new):
    """One object (a PTCE, a support or an experience) to status ``new``: its scope and the
    transitions (bulk actions)."""
    if isinstance(obj, Ptce):
        return may_move_status(scope, obj, obj.status, new)
    return may_move_entry_status(scope, obj, obj.status, new)


def regions_area(region_ids):
    """The territories of the régions (the régions and everything in them), as a subquery."""
    return Territory.objects.filter(
        Q(pk__in=region_ids)
        | Q(pk__in=TerritoryAncestry.objects.filter(ancestor_id__in=region_ids).values("territory"))
    ).values("pk")


def entries_in_scope(scope, queryset):
    """The supports or experiences of ``queryset`` this scope holds (its région's, by the
    collectivité or the PTCE; a contributor's own)."""
    if scope.is_national:
        return queryset
    if scope.is_contributor:
        return queryset.filter(collectivite_id=scope.collectivite_id)
    if scope.is_regional:
        return queryset.filter(
            Q(collectivite__in=regions_area(scope.region_ids))
            | Q(ptce__departement_id__in=scope.departement_ids)
        )
    return queryset.none()


def contributor_ptces(scope):
    """The PTCEs of a contributor's territory: those in or around its collectivité
    (``Ptce.objects.in_territory``) and those its collectivité is already linked to."""
    if not scope.is_contributor or scope.collectivite_id is None:
        return Ptce.objects.none()
    collectivite = Territory.objects.get(pk=scope.collectivite_id)
    linked = Support.objects.filter(collectivite_id=scope.collectivite_id).values("ptce_id")
    told = Experience.objects.filter(
        collectivite_id=scope.collectivite_id, ptce__isnull=False
    ).values("ptce_id")
    return Ptce.objects.filter(
        Q(pk__in=Ptce.objects.in_territory(collectivite).values("pk"))
        | Q(pk__in=linked)
        | Q(pk__in=told)
    )


# --- everything else (territories, reference lists, schemes, resources, accounts) ------------
def may_change_shared(scope):
    return scope.is_national
