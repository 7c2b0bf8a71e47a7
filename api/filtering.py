"""A thin adapter from the lenient FilterSets of the site to the API's strict parameters.

The FilterSets are used unchanged (``directory.filters.PtceFilterSet``,
``directory.experience_filters.ExperienceFilterSet``, ``collectivites.filters.SchemeFilterSet``):
a page leaves out what they cannot use and says so; the API answers 400 naming the first
parameter they left out (``filterset.ignored``), so that a client never mistakes a typo for
an empty filter."""

from django.utils.translation import gettext as _

from .errors import InvalidParameter


def strict_filterset(filterset_class, params, queryset, request=None):
    """``filterset_class(params, queryset)``; ``InvalidParameter`` for the first value it
    ignored."""
    filterset = filterset_class(params, queryset=queryset, request=request)
    if filterset.ignored:
        first = filterset.ignored[0]
        raise InvalidParameter(
            first.parameter,
            _("Paramètre %(parameter)s invalide : %(reason)s.")
            % {"parameter": first.parameter, "reason": first.reason},
        )
    return filterset


def cleaned_parts(filterset, skipped=()):
    """The FilterSet's cleaned values, sorted: what a cache key may be built from."""
    data = filterset.form.data
    return sorted((name, sorted(data.getlist(name))) for name in data if name not in skipped)
