"""Paginating the directory's results with one query for the count and the page.

The ordered ids of the requested page and the number of matches come from one query: the
filtered PTCEs with ``COUNT(*) OVER ()`` and the sort columns in a subquery, sorted, limited
and offset outside it. The filters are evaluated once, and, the subquery having no
``LIMIT``, PostgreSQL plans it for all its rows (hash joins), then sorts what matched. With
the ``LIMIT`` on the filtered query itself, PostgreSQL 15 walks the name index and tests the
filters on every PTCE until it has a page, which it must not do here: the count needs all the
matches before the first row comes out. The page's rows are then read by primary key with
what the cards need (``decorate``).
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Window

from core.lenient import PageBeyondLast, page_number


class _KnownPage:
    """What ``Paginator`` needs of an object list whose count and one page are known."""

    def __init__(self, count, offset, ids):
        self._count, self._offset, self._ids = count, offset, ids

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, item):
        start = (item.start or 0) - self._offset
        return self._ids[max(start, 0) : max(start, 0) + (item.stop - item.start)]


def paginate_ptces(ordered, params, per_page, decorate, filtered=True):
    """``(page, ignored)`` as ``collectivites.filtering.paginate`` gives them, for the sorted
    queryset ``ordered``; ``decorate(queryset)`` adds what the cards need (joins,
    prefetches). A page beyond the last raises ``PageBeyondLast``. ``filtered=False`` says
    that ``ordered`` is all the published PTCEs: a count and a walk of the order's index are
    then cheapest."""
    number, ignored = page_number(params)
    offset = (number - 1) * per_page
    if filtered:
        rows = _ids_and_count(ordered, offset, per_page)
        ids = [row[0] for row in rows]
        count = rows[0][1] if rows else 0
    else:
        count = ordered.count()
        ids = list(ordered.values_list("pk", flat=True)[offset : offset + per_page])
    if not ids and number > 1:
        if filtered:  # the window count came with the rows: count apart (this path only)
            count = ordered.count()
        raise PageBeyondLast((count + per_page - 1) // per_page)
    page = Paginator(_KnownPage(count, offset, ids), per_page).page(number)
    by_id = {ptce.pk: ptce for ptce in decorate(ordered.model.objects.filter(pk__in=ids))}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page, ignored


def _ids_and_count(ordered, offset, limit):
    """``[(pk, number of matches, sort columns...), ...]`` for one page of ``ordered``."""
    columns = ["pk", "matches"]
    order = []
    for field in ordered.query.order_by:
        name = field.lstrip("-")
        if name not in columns:
            columns.append(name)
        order.append(f"{columns.index(name) + 1}{' DESC' if field.startswith('-') else ''}")
    if not order:
        raise ValueError("paginate_ptces needs an ordered queryset")
    inner = ordered.order_by().annotate(matches=Window(Count("pk"))).values_list(*columns)
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (queryset.none())
        return []
    with connections[inner.db].cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({sql}) AS filtered ORDER BY {', '.join(order)} LIMIT %s OFFSET %s",
            (*params, limit, offset),
        )
        return cursor.fetchall()
