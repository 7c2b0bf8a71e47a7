"""Template helpers for list pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced: ``{% query_with page=2 %}``."""
    filterset = context.get("filterset")
    query = (filterset.form.data if filterset is not None else context["request"].GET).copy()
    for name, value in changes.items():
        if value in (None, ""):
            query.pop(name, None)
        else:
            query[name] = value
    return f"?{query.urlencode()}"
