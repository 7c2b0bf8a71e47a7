"""Helpers for the tests of the public directory (``/ptce/``): building PTCEs with their
related rows in one call, requesting the list, and reading what a visitor sees on the page
(result names in order, the result count, facet counts, chips, notices)."""

import re
from html import unescape
from urllib.parse import urlencode

from django.db import connection
from django.urls import Resolver404, resolve

from directory.models import Support

from .factories import MemberFactory, PtceFactory, legal_form, stage, support_type

LIST_URL = "/ptce/"


def make_ptce(
    name,
    *,
    commune=None,
    departement=None,
    themes=(),
    supports=(),
    stage_slug=None,
    legal_form_slug=None,
    members=(),
    **fields,
):
    """A published PTCE (unless ``status`` says otherwise) with its related rows:
    ``make_ptce("Recyclerie", commune="03095", themes=["habitat"], supports=["investissement"],
    members=["Emmaüs Allier"])``. Supports are given by the PTCE's département."""
    params = {"commune_code": commune} if commune else {}
    if departement:
        params["departement_code"] = departement
    if stage_slug:
        fields["stage"] = stage(stage_slug)
    if legal_form_slug:
        fields["legal_form"] = legal_form(legal_form_slug)
    ptce = PtceFactory(name=name, themes=list(themes), **params, **fields)
    for slug in supports:
        Support.objects.create(
            status="published",
            ptce=ptce,
            collectivite=ptce.departement,
            support_type=support_type(slug),
        )
    for member in members:
        MemberFactory(ptce=ptce, name=member)
    return ptce


def get_list(client, params=None, headers=None):
    """``/ptce/`` with ``params``: a dict (list values repeat the parameter) or a list of
    ``(name, value)`` pairs."""
    if isinstance(params, list | tuple):
        return client.get(f"{LIST_URL}?{urlencode(params)}", headers=headers)
    return client.get(LIST_URL, params or {}, headers=headers)


def follow(client, query):
    """A link of the list page (``?theme=…``), as a visitor clicking it."""
    return client.get(LIST_URL + query)


def html_of(response):
    return response.content.decode()


def _text(fragment):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def names(response):
    """The names of the PTCEs listed, in the order shown."""
    return [
        unescape(name)
        for name in re.findall(r'class="card__title"><a href="[^"]*">(.*?)</a>', html_of(response))
    ]


def result_count(response):
    """The number announced above the results (``id="result-count"``)."""
    match = re.search(r'id="result-count"[^>]*>\s*([\d\s\u202f\xa0]+)PTCE', html_of(response))
    assert match, "no result count on the page"
    return int(re.sub(r"\D", "", match.group(1)))


def facet(response, name):
    """``{option value: count shown beside it}`` for one filter (theme, support, …)."""
    pattern = rf'<label for="id_{name}_([^"]+)">.*?class="facet__count">\((\d+)'
    return {value: int(count) for value, count in re.findall(pattern, html_of(response), re.S)}


def checked(response, name):
    """The options of one filter that are ticked on the page."""
    return re.findall(rf'name="{name}" value="([^"]+)" id="[^"]+" checked', html_of(response))


def chips(response):
    """``[(label, removal URL)]`` of the active filter chips."""
    found = re.findall(r'<a class="chip" href="([^"]*)">(.*?)<span aria-hidden', html_of(response))
    return [(_text(label), unescape(href)) for href, label in found]


def chip_url(response, label):
    matching = [url for text, url in chips(response) if text == label]
    assert len(matching) == 1, f"no single chip {label!r} in {chips(response)}"
    return matching[0]


def next_page_url(response):
    match = re.search(r'<a href="([^"]*)" rel="next"', html_of(response))
    assert match, "no link to the next page"
    return unescape(match.group(1))


def ignored_notice(response):
    """The text of the "parameters not taken into account" notice ('' when there is none)."""
    match = re.search(
        r'<div class="notice notice--warning" role="alert">(.*?)</div>', html_of(response), re.S
    )
    return _text(match.group(1)) if match else ""


def approximate_notice(response):
    return "Aucun PTCE ne contient exactement" in html_of(response)


def is_empty_state(response):
    return "Aucun PTCE ne correspond à ces critères" in html_of(response)


def is_postgresql():
    return connection.vendor == "postgresql"


def path_exists(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
