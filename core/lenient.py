"""Lenient query-string handling shared by the list pages: what is invalid is left out and
named (``filterset.ignored``), never an error page. Generic: territory parameters are resolved
by the subclass (``resolve_territory``)."""

from dataclasses import dataclass

import django_filters
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.utils.translation import gettext_lazy as _

MAX_TEXT_LENGTH = 200
MAX_VALUES = 20


@dataclass(frozen=True)
class Ignored:
    parameter: str
    value: str
    reason: str

    def __str__(self):
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        return f"{self.parameter}={shown} : {self.reason}"


def clean_text(value):
    return value.replace("\x00", "").strip()


class LenientFilterSet(django_filters.FilterSet):
    """Subclasses declare:

    - ``multi_choices``: ``{parameter: callable returning [(value, label)]}`` for repeatable
      parameters (unknown values are dropped and named);
    - ``single_choices``: ``{parameter: [(value, label)]}`` for one-value parameters;
    - ``territory_parameters``: ``{parameter: territory kind}`` resolved to a ``Territory``
      (``self.territories[parameter]``);
    - ``text_parameters``: free text (NUL bytes removed, 200 characters at most);
    - ``custom_parameters``: other one-value parameters, checked by the subclass's
      ``_single_is_valid`` (which calls this one for the rest).
    """

    multi_choices = {}
    single_choices = {}
    territory_parameters = {}
    text_parameters = ["q"]
    custom_parameters = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.ignored = []
        self.territories = {}
        self.choices = {name: list(fn()) for name, fn in self.multi_choices.items()}
        cleaned = self._sanitize(data if data is not None else QueryDict())
        super().__init__(cleaned, queryset, request=request, prefix=prefix)
        for name, options in self.choices.items():
            self.form.fields[name].choices = options
        for name, options in self.single_choices.items():
            self.form.fields[name].choices = [("", "---"), *options]

    def _ignore(self, parameter, value, reason):
        self.ignored.append(Ignored(parameter, value, str(reason)))

    def _sanitize(self, data):
        cleaned = QueryDict(mutable=True)
        singles = [
            *self.text_parameters,
            *self.single_choices,
            *self.custom_parameters,
            *self.territory_parameters,
        ]
        for name in singles:
            values = [clean_text(v) for v in data.getlist(name) if clean_text(v)]
            if not values:
                continue
            if len(values) > 1:
                self._ignore(
                    name, values[1], _("paramètre répété, seule la première valeur compte")
                )
            if self._single_is_valid(name, values[0]):
                cleaned[name] = values[0]
        for name, options in self.choices.items():
            known = {value for value, _label in options}
            kept = []
            for value in (clean_text(v) for v in data.getlist(name)):
                if not value or value in kept:
                    continue
                if value not in known:
                    self._ignore(name, value, _("valeur inconnue"))
                elif len(kept) >= MAX_VALUES:
                    self._ignore(name, value, _("trop de valeurs"))
                else:
                    kept.append(value)
            if kept:
                cleaned.setlist(name, kept)
        return cleaned

    def _single_is_valid(self, name, value):
        if name in self.text_parameters:
            if len(value) > MAX_TEXT_LENGTH:
                self._ignore(name, value, _("texte trop long (200 caractères au plus)"))
                return False
            return True
        if name in self.single_choices:
            if value not in {v for v, _label in self.single_choices[name]}:
                self._ignore(name, value, _("valeur inconnue"))
                return False
            return True
        territory = self.resolve_territory(self.territory_parameters[name], value)
        if territory is None:
            self._ignore(name, value, _("code inconnu"))
            return False
        self.territories[name] = territory
        return True

    def resolve_territory(self, kind, value):
        """The territory of this kind and code, or None: given by the subclass that declares
        ``territory_parameters``."""
        raise NotImplementedError("declare territory_parameters with resolve_territory()")


def page_number(params):
    """``(number, ignored)``: the page asked for by ``?page=``; a malformed number is named
    and page 1 given."""
    ignored = []
    number = 1
    raw = params.getlist("page")
    if raw:
        value = clean_text(raw[0])
        if value.isascii() and value.isdigit() and len(value) <= 9 and int(value) >= 1:
            number = int(value)
        elif value:
            ignored.append(
                Ignored("page", value, str(_("numéro de page invalide, page 1 affichée")))
            )
    return number, ignored


class PageBeyondLast(Http404):
    """A page number beyond the last page of results: ``last`` is the last page (1 when there
    is no result). Still a 404 wherever no view turns it into a redirect."""

    def __init__(self, last):
        super().__init__("Cette page de résultats n'existe pas.")
        self.last = max(int(last), 1)


def last_page_url(request, last):
    """The same list at page ``last`` (without ``page`` for the first), other parameters kept."""
    params = request.GET.copy()
    params.pop("page", None)
    if last > 1:
        params["page"] = str(last)
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path


class LastPageRedirectMixin:
    """For list views: a page number beyond the last redirects to the last page (a shared or
    old link still leads somewhere) instead of a 404."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except PageBeyondLast as beyond:
            return HttpResponseRedirect(last_page_url(request, beyond.last))


def paginate(queryset, params, per_page=20):
    """The requested page; a malformed page number is named and page 1 shown, a page beyond
    the last raises ``PageBeyondLast`` (see ``LastPageRedirectMixin``). Returns
    ``(page, ignored)``."""
    from django.core.paginator import EmptyPage, Paginator

    number, ignored = page_number(params)
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(number), ignored
    except EmptyPage as error:
        raise PageBeyondLast(paginator.num_pages) from error
