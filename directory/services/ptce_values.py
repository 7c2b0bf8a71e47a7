"""Cells of the import format's optional columns: territories of action, coordinates, the
last verification date. Each parser returns the value and the problems found (never raises).

- ``territoires_action``: ``niveau:code`` items separated by ``|``, the level one of
  ``region``, ``departement``, ``epci``, ``commune`` (labels such as « Région » or « EPCI »
  accepted, case and accents ignored; a code whose leading zero was eaten is padded);
- ``latitude``, ``longitude``: decimal degrees (dot, or a comma), both or neither, within
  France (metropolitan and overseas: ``FRANCE_BOXES``);
- ``verifiee_le``: ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (an Excel date cell arrives as the
  former), not in the future.
"""

import datetime
import re

from django.utils import timezone

from core.text import normalize

LEVELS = {
    "region": ("regions", 2),
    "departement": ("departements", 2),
    "epci": ("epcis", 9),
    "commune": ("communes", 5),
}
LEVEL_ALIASES = {"reg": "region", "dep": "departement", "dept": "departement", "com": "commune"}
# (south, north, west, east) in degrees, with margins: metropolitan France and Corsica, the
# Antilles, Guyane, the Indian Ocean (Réunion, Mayotte, Scattered Islands, southern lands),
# Saint-Pierre-et-Miquelon, Polynesia, New Caledonia, Wallis-et-Futuna, Clipperton, Adélie.
FRANCE_BOXES = [
    (41.0, 51.6, -5.8, 10.0),
    (14.0, 18.5, -63.5, -60.5),
    (1.8, 6.0, -54.8, -51.3),
    (-51.0, -11.0, 37.0, 78.0),
    (46.5, 47.4, -56.6, -55.9),
    (-28.5, -7.0, -155.0, -134.0),
    (-23.5, -17.5, 162.5, 169.5),
    (-14.6, -13.0, -178.5, -175.8),
    (10.0, 10.6, -109.5, -109.0),
    (-67.5, -65.5, 135.5, 142.5),
]
NUMBER_RE = re.compile(r"^[+-]?\d{1,3}([.,]\d+)?$")
FRENCH_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
EARLIEST_VERIFICATION = datetime.date(2000, 1, 1)


def parse_action_territories(cell, lookups):
    """``(ids, [(value, message)])`` for a ``territoires_action`` cell."""
    ids, problems = [], []
    for item in cell.split("|"):
        item = item.strip()
        if not item:
            continue
        level, sep, code = item.partition(":")
        key = normalize(level).replace(" ", "")
        key = LEVEL_ALIASES.get(key, key)
        if not sep or key not in LEVELS or not code.strip():
            problems.append(
                (item, "« niveau:code » attendu, niveau region, departement, epci ou commune")
            )
            continue
        table, width = LEVELS[key]
        code = code.strip().upper()
        if code.isdigit() and key != "epci":
            code = code.zfill(width)
        found = getattr(lookups, table).get(code)
        if isinstance(found, tuple):  # communes: (id, département, latitude, longitude)
            found = found[0]
        if found is None:
            problems.append((item, f"code inconnu pour le niveau « {key} »"))
        elif found not in ids:
            ids.append(found)
    return ids, problems


def _degrees(text):
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not NUMBER_RE.match(text):
        return None
    return float(text.replace(",", "."))


def in_france(latitude, longitude):
    return any(
        south <= latitude <= north and west <= longitude <= east
        for south, north, west, east in FRANCE_BOXES
    )


def parse_coordinates(latitude, longitude):
    """``((latitude, longitude) or None, None or (column, message))``."""
    latitude, longitude = (latitude or "").strip(), (longitude or "").strip()
    if not latitude and not longitude:
        return None, None
    if not latitude or not longitude:
        missing = "latitude" if not latitude else "longitude"
        return None, (missing, "latitude et longitude vont ensemble : les deux ou aucune")
    lat, lon = _degrees(latitude), _degrees(longitude)
    if lat is None:
        return None, ("latitude", "nombre décimal attendu (ex. 45.1885)")
    if lon is None:
        return None, ("longitude", "nombre décimal attendu (ex. 5.7245)")
    if not in_france(lat, lon):
        if in_france(lon, lat):
            return None, ("latitude", "latitude et longitude inversées ?")
        return None, ("latitude", "position hors de France (métropole et outre-mer)")
    return (lat, lon), None


def parse_date(text):
    """``(date or None, message or None)`` for a ``verifiee_le`` cell."""
    text = text.strip()
    match = ISO_DATE_RE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = FRENCH_DATE_RE.match(text)
        if not match:
            return None, "date attendue : AAAA-MM-JJ ou JJ/MM/AAAA"
        day, month, year = (int(part) for part in match.groups())
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None, "date inexistante"
    if date > timezone.localdate():
        return None, "date dans le futur"
    if date < EARLIEST_VERIFICATION:
        return None, f"date antérieure au {EARLIEST_VERIFICATION:%d/%m/%Y}"
    return date, None
