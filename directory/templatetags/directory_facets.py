"""``{% facet_options options name type %}``: the ``<li>`` of one facet of the directory's
filter form (``directory.facets.FacetOption`` list), a checkbox or radio button, its label
and its count. The same HTML as a template loop, built in one pass in Python: the five
facets hold about forty options, and the loop cost a cold directory page several
milliseconds of variable look-ups."""

from django import template
from django.utils.html import format_html_join
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def facet_options(options, name, input_type):
    unit = gettext("PTCE")
    return format_html_join(
        "\n",
        "    <li>\n"
        '      <input type="{}" name="{}" value="{}" id="id_{}_{}"{}>\n'
        '      <label for="id_{}_{}">{} <span class="facet__count">({}'
        '<span class="visually-hidden"> {}</span>)</span></label>\n'
        "    </li>",
        (
            (
                input_type,
                name,
                option.value,
                name,
                option.value,
                " checked" if option.selected else "",
                name,
                option.value,
                option.label,
                option.count,
                unit,
            )
            for option in options
        ),
    )
