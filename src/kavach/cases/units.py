"""Kerala's revenue and police districts, their cyber stations and localities.

Pure domain: the directory is read from a TOML unit file (the packaged
``data/kerala_units.toml`` unless a unit keeps its own), queried by the tip
routing, and written back by ``to_toml`` when ``kavach unit`` edits it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TypeVar

from kavach.cases import unitfile
from kavach.cases.names import normalise, without_district_phrases, word_at
from kavach.errors import FormatError, InputError, NotFoundError

PACKAGED = "kerala_units.toml"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RevenueDistrict:
    """A revenue district, named as India Post names it ("ERNAKULAM")."""

    name: str
    headquarters: str
    latitude: float | None = None  # of the headquarters town, approximate
    longitude: float | None = None
    aliases: tuple[str, ...] = ()  # other spellings: "Cochin", "Trivandrum"


@dataclass(frozen=True, slots=True)
class PoliceDistrict:
    """A police district: the unit a tip is sent to, with its cyber police station."""

    code: str  # short and stable: "TVM-C"
    name: str  # "Thiruvananthapuram City"
    revenue_district: str  # a RevenueDistrict.name
    cyber_station: str
    stations: tuple[str, ...]
    localities: tuple[str, ...]
    default_for_district: bool  # where an unlisted locality of the district goes


def load_units(path: Path | str | None = None) -> UnitDirectory:
    """The unit file at ``path``, or the packaged Kerala file when None."""
    if path is None:
        packaged = resources.files("kavach.cases").joinpath("data", PACKAGED)
        return loads_units(packaged.read_text(encoding="utf-8"), PACKAGED)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the unit file ({exc})") from exc
    return loads_units(text, str(path))


def loads_units(text: str, source: str = "units") -> UnitDirectory:
    """A directory from unit-file text; ``source`` names it in every complaint."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(source, None, f"not TOML ({exc})") from exc
    top = unitfile.Table(data, source, "")
    top.only("version", "revenue_district", "police_district")
    if data.get("version", unitfile.FORMAT_VERSION) != unitfile.FORMAT_VERSION:
        raise FormatError(source, "version", f"must be {unitfile.FORMAT_VERSION}")
    revenue = [_revenue(t) for t in unitfile.tables(data, "revenue_district", source)]
    police = [_police(t) for t in unitfile.tables(data, "police_district", source)]
    return UnitDirectory(revenue, police, source)


def _revenue(table: unitfile.Table) -> RevenueDistrict:
    table.only("name", "headquarters", "latitude", "longitude", "aliases")
    latitude = table.degrees("latitude", 90)
    longitude = table.degrees("longitude", 180)
    if (latitude is None) != (longitude is None):
        raise table.fail("longitude", "latitude and longitude go together")
    return RevenueDistrict(
        name=table.text("name").upper(),
        headquarters=table.text("headquarters"),
        latitude=latitude,
        longitude=longitude,
        aliases=table.texts("aliases"),
    )


def _police(table: unitfile.Table) -> PoliceDistrict:
    table.only(
        "code", "name", "revenue_district", "cyber_station", "stations",
        "localities", "default_for_district",
    )  # fmt: skip
    return PoliceDistrict(
        code=table.text("code").upper(),
        name=table.text("name"),
        revenue_district=table.text("revenue_district").upper(),
        cyber_station=table.text("cyber_station"),
        stations=table.texts("stations"),
        localities=table.texts("localities"),
        default_for_district=table.flag("default_for_district"),
    )


class UnitDirectory:
    """The districts of one state, checked whole when built (any edit builds anew)."""

    def __init__(
        self,
        revenue: Sequence[RevenueDistrict],
        police: Sequence[PoliceDistrict],
        source: str = "units",
    ) -> None:
        self.source = source
        self._revenue = tuple(revenue)
        self._police = tuple(police)
        self._by_name = _unique(
            ((normalise(d.name), d) for d in revenue), source, "revenue_district.name"
        )
        self._by_unit = _unique(
            ((normalise(p.code), p) for p in police), source, "police_district.code"
        )
        self._by_unit |= _unique(
            ((normalise(p.name), p) for p in police), source, "police_district.name"
        )
        stations = ((normalise(p.cyber_station), p) for p in police)
        _unique(stations, source, "police_district.cyber_station")
        for district in revenue:
            for alias in district.aliases:
                self._claim(
                    self._by_name, alias, district, f'"{district.name}".aliases'
                )
        self._check_police()
        self._towns = self._town_index()

    def _claim(
        self,
        index: dict[str, RevenueDistrict],
        name: str,
        district: RevenueDistrict,
        where: str,
    ) -> None:
        """Index ``name`` for ``district``, refusing a name two districts share."""
        key = normalise(name)
        other = index.setdefault(key, district)
        if other.name != district.name:
            raise FormatError(
                self.source,
                f"revenue_district {where}",
                f"{name!r} already names {other.name}",
            )

    def _check_police(self) -> None:
        owners: dict[str, PoliceDistrict] = {}
        names = {d.name for d in self._revenue}
        for unit in self._police:
            where = f'police_district "{unit.code}"'
            if unit.revenue_district not in names:
                # Another spelling is refused too: the file keeps India Post's.
                known = self.revenue_district(unit.revenue_district)
                hint = f"; write {known.name}" if known else ""
                raise FormatError(
                    self.source,
                    f"{where}.revenue_district",
                    f"unknown revenue district {unit.revenue_district!r}{hint}",
                )
            for locality in unit.localities:
                other = owners.setdefault(normalise(locality), unit)
                if other is not unit:
                    raise FormatError(
                        self.source,
                        f"{where}.localities",
                        f"{locality!r} is also listed under {other.code}",
                    )
        for district in self._revenue:
            self._check_defaults(district)

    def _check_defaults(self, district: RevenueDistrict) -> None:
        units = self.police_districts_of(district)
        where = f'revenue_district "{district.name}"'
        if not units:
            raise FormatError(self.source, where, "no police district serves it")
        defaults = [u.code for u in units if u.default_for_district]
        if len(defaults) != 1:
            found = ", ".join(defaults) if defaults else "none"
            raise FormatError(
                self.source,
                f"{where}: police_district.default_for_district",
                f"exactly one police district must be its default (found {found})",
            )

    def _town_index(self) -> dict[str, RevenueDistrict]:
        """Every name that places a town in a district: its name, HQ, spellings."""
        towns: dict[str, RevenueDistrict] = {}
        for district in self._revenue:
            names = (district.name, district.headquarters, *district.aliases)
            for name in names:
                self._claim(towns, name, district, f'"{district.name}"')
        for unit in self._police:
            district = self._by_name[normalise(unit.revenue_district)]
            for locality in unit.localities:
                where = f'"{district.name}": police_district "{unit.code}".localities'
                self._claim(towns, locality, district, where)
        return towns

    # Queries.

    def all_revenue_districts(self) -> tuple[RevenueDistrict, ...]:
        return self._revenue

    def all_police_districts(self) -> tuple[PoliceDistrict, ...]:
        return self._police

    def all_cyber_stations(self) -> tuple[str, ...]:
        return tuple(p.cyber_station for p in self._police)

    def revenue_district(self, name: str) -> RevenueDistrict | None:
        """The district by its name or another spelling, in any case and spacing."""
        return self._by_name.get(normalise(name))

    def district_for_town(self, town: str) -> RevenueDistrict | None:
        """The district of a headquarters town, a listed locality or a spelling."""
        return self._towns.get(normalise(town))

    def police_district(self, code_or_name: str) -> PoliceDistrict | None:
        return self._by_unit.get(normalise(code_or_name))

    def police_districts_of(self, district: RevenueDistrict) -> list[PoliceDistrict]:
        return [p for p in self._police if p.revenue_district == district.name]

    def cyber_station(self, police_district: PoliceDistrict | str) -> str:
        """The cyber police station of a police district (given or by code/name)."""
        unit = police_district
        if isinstance(unit, str):
            found = self.police_district(unit)
            if found is None:
                raise NotFoundError(f"no police district {unit!r} in {self.source}")
            unit = found
        return unit.cyber_station

    def police_district_for(
        self, revenue_district: RevenueDistrict | str, locality: str | None
    ) -> PoliceDistrict:
        """The police district for a place in a revenue district.

        ``locality`` may be a whole address: a listed locality named in it as a
        word decides, the longest first ("Fort Kochi" over "Kochi"). The district's
        own names and headquarters town count only when nothing more precise is
        named; otherwise the district's default takes it.
        """
        district = self._district(revenue_district)
        units = self.police_districts_of(district)
        default = next(u for u in units if u.default_for_district)
        if not locality:
            return default
        broad = [district.name, district.headquarters, *district.aliases]
        broad_keys = {normalise(n) for n in broad}
        text = without_district_phrases(normalise(locality), sorted(broad_keys))
        best: tuple[int, int, PoliceDistrict] | None = None
        for unit in units:
            for name in unit.localities:
                key = normalise(name)
                at = word_at(text, key)
                if at < 0 or key in broad_keys:
                    continue
                rank = (len(key), -at, unit)
                if best is None or rank[:2] > best[:2]:
                    best = rank
        if best is not None:
            return best[2]
        if any(word_at(text, key) >= 0 for key in broad_keys):
            return self._headquarters_unit(district, units) or default
        return default

    def _headquarters_unit(
        self, district: RevenueDistrict, units: Iterable[PoliceDistrict]
    ) -> PoliceDistrict | None:
        """The police district that lists the headquarters town among its localities."""
        key = normalise(district.headquarters)
        for unit in units:
            if key in {normalise(n) for n in unit.localities}:
                return unit
        return None

    def _district(self, district: RevenueDistrict | str) -> RevenueDistrict:
        name = district.name if isinstance(district, RevenueDistrict) else district
        found = self.revenue_district(name)
        if found is None:
            raise NotFoundError(f"no revenue district {name!r} in {self.source}")
        return found

    def to_toml(self) -> str:
        """The unit file for this directory; ``loads_units`` reads it back equal."""
        return unitfile.dump_units(self._revenue, self._police)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UnitDirectory):
            return NotImplemented
        return (self._revenue, self._police) == (other._revenue, other._police)

    __hash__ = None  # type: ignore[assignment]


def _unique(pairs: Iterable[tuple[str, T]], source: str, where: str) -> dict[str, T]:
    """Index by key, refusing a duplicate (two units with one code, say)."""
    index: dict[str, T] = {}
    for key, value in pairs:
        if key in index:
            raise FormatError(source, where, f"duplicate {key!r}")
        index[key] = value
    return index
