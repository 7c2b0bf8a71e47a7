"""Tags for the directory's repeated fragments, the same HTML as a template loop or include,
built in one pass in Python (variable look-ups and includes repeated per option or per card
cost the directory's pages several milliseconds).

- ``{% facet_options options name type %}``: the ``<li>`` of one facet of the filter form
  (``directory.facets.FacetOption`` list), a checkbox or radio button, its label and count;
- ``{% theme_tags themes %}``: a PTCE's themes as the list of tags of its card and page."""

from django import template
from django.utils.html import format_html, format_html_join
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


@register.simple_tag
def theme_tags(themes):
    themes = list(themes)
    if not themes:
        return ""
    return format_html(
        '<ul class="tags" aria-label="{}">{}</ul>',
        gettext("Thématiques"),
        format_html_join("", '<li class="tag">{}</li>', ((theme.name,) for theme in themes)),
    )
