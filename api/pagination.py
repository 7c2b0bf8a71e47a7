"""Pages of the API's lists: ``page`` (from 1) and ``page_size`` (1 to 100, 20 by default),
strict (a malformed value is a 400 naming it; a page beyond the last, a 404), and the body
``{"count", "next", "previous", "results"}`` whose links are absolute URLs carrying the
cleaned filters.

The PTCE list is paginated by the directory's ``paginate_ptces`` (the count and the page's
ids in one query); the small lists (experiences, schemes, support types) by Django's
``Paginator``."""

from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from .errors import InvalidParameter

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# A page number this long is beyond the last page of any list: 404 without a query.
MAX_PAGE_DIGITS = 9


def _single(params, name):
    values = params.getlist(name)
    if len(values) > 1:
        raise InvalidParameter(
            name, _("Le paramètre %(name)s ne peut figurer qu'une fois.") % {"name": name}
        )
    return values[0].strip() if values else ""


def _positive_integer(raw):
    return raw.isascii() and raw.isdigit() and int(raw) >= 1


class PageRequest:
    """The page asked for: ``number`` and ``size`` (``explicit_size``: given by the client,
    kept in the links)."""

    def __init__(self, params):
        raw_page = _single(params, "page")
        raw_size = _single(params, "page_size")
        if raw_page and not _positive_integer(raw_page):
            raise InvalidParameter("page", _("page attend un nombre entier à partir de 1."))
        if raw_size and not (
            _positive_integer(raw_size) and len(raw_size) <= 3 and int(raw_size) <= MAX_PAGE_SIZE
        ):
            message = _("page_size attend un nombre entier de 1 à %(max)s.")
            raise InvalidParameter("page_size", message % {"max": MAX_PAGE_SIZE})
        if len(raw_page) > MAX_PAGE_DIGITS:
            raise page_not_found()
        self.number = int(raw_page) if raw_page else 1
        self.size = int(raw_size) if raw_size else DEFAULT_PAGE_SIZE
        self.explicit_size = bool(raw_size)

    def cache_parts(self):
        return (self.number, self.size)


def page_not_found():
    return NotFound(_("Cette page de résultats n'existe pas."))


def page_of(queryset, page_request):
    """The ``django.core.paginator.Page`` asked for; ``NotFound`` beyond the last."""
    paginator = Paginator(queryset, page_request.size)
    number = page_request.number
    if number > 1 and number > paginator.num_pages:
        raise page_not_found()
    return paginator.page(number)


def paginated_body(request, filters, page_request, count, results):
    """``{"count", "next", "previous", "results"}``; ``filters`` the cleaned filters (a
    ``QueryDict``) repeated in the links."""
    base = request.build_absolute_uri(request.path)

    def link(number):
        query = QueryDict(mutable=True)
        for name in sorted(filters):
            query.setlist(name, filters.getlist(name))
        if page_request.explicit_size:
            query["page_size"] = str(page_request.size)
        if number > 1:
            query["page"] = str(number)
        encoded = query.urlencode()
        return f"{base}?{encoded}" if encoded else base

    number = page_request.number
    last = max(1, -(-count // page_request.size))
    return {
        "count": count,
        "next": link(number + 1) if number < last else None,
        "previous": link(number - 1) if number > 1 else None,
        "results": results,
    }
