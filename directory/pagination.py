"""Paginating the directory's results fast at every selectivity.

With a selective filter (a commune, a département), PostgreSQL tends to walk the name index
and test the filter on each row until it has a page, i.e. on all 10,000 rows when few match:
its estimate of an OR of EXISTS conditions is blind. When the count (needed anyway) shows few
matches, the ordered ids are fetched first (a hash join and a sort of those few rows), then
the page's rows by primary key; otherwise LIMIT/OFFSET over the ordered index is best.
"""

from collectivites.filtering import paginate

ID_LIST_LIMIT = 3000


class _Counted:
    """A queryset whose count is already known (spares the paginator a second COUNT)."""

    def __init__(self, queryset, count):
        self.queryset, self._count = queryset, count

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, item):
        return self.queryset[item]


def paginate_ptces(ordered, params, per_page, decorate):
    """``(page, ignored)`` as ``collectivites.filtering.paginate`` gives them, for the sorted
    queryset ``ordered``; ``decorate(queryset)`` adds what the cards need (joins,
    prefetches)."""
    count = ordered.count()
    if count > ID_LIST_LIMIT:
        return paginate(_Counted(decorate(ordered), count), params, per_page)
    # No LIMIT here on purpose: with one, the planner goes back to walking the ordered index.
    page, ignored = paginate(list(ordered.values_list("pk", flat=True)), params, per_page)
    ids = page.object_list
    by_id = {ptce.pk: ptce for ptce in decorate(ordered.model.objects.filter(pk__in=ids))}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page, ignored
