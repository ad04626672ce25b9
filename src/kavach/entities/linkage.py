"""Person records resolved into persons: Splink (Fellegi–Sunter) on DuckDB.

The steps, each a function: records become feature rows (``features``); a number
held by many records is marked *shared*; Splink learns the model's parameters on
the data (u by random sampling, m by expectation maximisation on a sample of at
most ``TRAINING_SAMPLE`` records, so training time does not grow with the input),
scores the blocked pairs, and pairs above the threshold — or tied by a rare strong
identifier with names and births that do not disagree — join one cluster.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kavach.entities.comparisons import blocking_rules, comparisons
from kavach.entities.features import features

# A phone held under more names than this is a family, shop or junk number.
SHARED_LIMIT = 4
# A number held under more names than this is not used to choose pairs at all.
BLOCKING_LIMIT = 50
TRAINING_SAMPLE = 100_000
# Fewer records than this cannot teach a model: the shipped one (trained on the
# synthetic records, ``python -m kavach.entities.default_model``) scores them.
MIN_TRAINING = 5_000
# The match probability a scored link needs (measured: bench/person_resolution.py).
DEFAULT_THRESHOLD = 0.8
# Below this many records a name word's share of them says nothing (one "Anil"
# among 20 records is 5 %): the name-rarity comparison stays silent.
RARITY_FROM = 1_000
# Identifier comparisons whose agreement on a rare value links without a score.
STRONG = ("phone", "email", "handle", "imei", "id_number")
# The level of each that says "same <identifier>" (and, for a phone, a rare one).
_TOP = {"phone": 2, "email": 1, "handle": 1, "imei": 1, "id_number": 2}
# Of those, the ones a person holds alone (a phone or a handset is a family's).
_PERSONAL = ("email", "handle")
PLACE_COLUMNS = ("district", "postcode", "locality", "state")


@dataclass(frozen=True)
class Record:
    """One person-shaped record: its id, its file (when linking two), its roles."""

    record_id: str
    roles: Mapping[str, str]
    dataset: str = "a"


@dataclass(frozen=True)
class Link:
    """Two records judged one person, with why: each comparison's level and weight."""

    left: str
    right: str
    match_weight: float
    match_probability: float
    levels: dict[str, str]
    weights: dict[str, float]
    deterministic: str | None = None


@dataclass
class Resolution:
    """Cluster of every record (record id -> cluster id) and the links behind them."""

    clusters: dict[str, str]
    links: list[Link] = field(default_factory=list)
    pairs_scored: int = 0
    shared_phones: int = 0
    # The parameters that scored the pairs: kept, so later records are scored alike.
    model: dict[str, Any] = field(default_factory=dict)


def _feature_rows(
    records: Sequence[Record], reference_year: int
) -> list[dict[str, Any]]:
    rows = []
    for record in records:
        row = dict(vars(features(record.roles, reference_year)))  # asdict deep-copies
        row["unique_id"] = record.record_id
        row["source_dataset"] = record.dataset
        rows.append(row)
    # Holders are counted by name: one man's many records do not make his own
    # phone a shared one; a café's subscribers under many names do.
    holders = Counter(
        p
        for p, _name in {
            (p, row["name_key"] or row["unique_id"])
            for row in rows
            for p in row["phones"]
        }
    )
    # A name word's frequency among all records' names (house names left out):
    # "Sebastian" in common says more than "Anil" (comparisons.name_rarity).
    words = Counter(t for row in rows for t in set(row["name_core"]))
    for row in rows:
        phones: list[str] = row.pop("phones")
        row["phones"] = [p for p in phones if holders[p] <= SHARED_LIMIT]
        row["shared_phones"] = [p for p in phones if holders[p] > SHARED_LIMIT]
        row["block_phone"] = [p for p in phones if holders[p] <= BLOCKING_LIMIT]
        row["core_token"] = list(row["name_core"])
        rare = min(row["name_core"], key=lambda t: (words[t], t), default=None)
        row["name_rare"] = rare
        counted = rare and len(rows) >= RARITY_FROM
        row["name_rare_share"] = words[rare] / len(rows) if counted else None
        # The first word of a Kerala address is the house name.
        row["address_head"] = (row["address_tokens"] or [None])[0]
    return rows


def _settings(link_only: bool) -> dict[str, Any]:
    return {
        "link_type": "link_only" if link_only else "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons(),
        "blocking_rules_to_generate_predictions": blocking_rules(),
        "retain_intermediate_calculation_columns": True,
        # The compared values and each comparison's level come back with the pair.
        "retain_matching_columns": True,
        "additional_columns_to_retain": [],
    }


def _table(rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]

    _SCALARS = {"birth_year": pa.int64(), "name_rare_share": pa.float64()}
    schema = pa.schema(
        [
            (name, pa.list_(pa.string()))
            if name
            in (
                "name_tokens",
                "name_initials",
                "name_letters",
                "address_tokens",
                "phones",
                "shared_phones",
                "block_phone",
                "core_token",
                "name_core",
            )
            else (name, _SCALARS.get(name, pa.string()))
            for name in rows[0]
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def _api() -> Any:
    import duckdb
    from splink import DuckDBAPI

    # DuckDB's own progress bars would scribble over the command's status line.
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    return DuckDBAPI(connection)


def _linker(tables: list[Any], link_only: bool, settings: dict[str, Any] | None) -> Any:
    from splink import Linker

    api = _api()
    frames = [api.register(t) for t in tables]
    model = settings if settings is not None else _settings(link_only)
    return Linker(frames if len(frames) > 1 else frames[0], model, log_level=None)


def train(rows: list[dict[str, Any]], link_only: bool, seed: int) -> dict[str, Any]:
    """The model's parameters learnt on (a sample of) the rows: a settings dict."""
    from splink import block_on

    sample = rows
    if len(rows) > TRAINING_SAMPLE:
        sample = random.Random(seed).sample(rows, TRAINING_SAMPLE)
    linker = _linker(_split(sample, link_only), link_only, None)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("name_key", "dob"), block_on("email"), block_on("id_number")],
        recall=0.7,
    )
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    # Each session learns every comparison but the ones its blocking rule uses; the
    # second joins the name with the place column the data fills most. (A session
    # whose rule finds no pairs leaves Splink's model broken, so none is tried.)
    for columns in (("dob",), ("name_key", _fullest(sample, PLACE_COLUMNS))):
        if all(_fullest(sample, (c,)) for c in columns):
            training.estimate_parameters_using_expectation_maximisation(
                block_on(*columns), fix_probability_two_random_records_match=True
            )
    model: dict[str, Any] = linker.misc.save_model_to_json()
    return model


def shipped_model(link_only: bool) -> dict[str, Any]:
    """The parameters learnt on synthetic records, with today's comparisons' SQL."""
    import json
    from importlib import resources

    text = resources.files("kavach.entities").joinpath("data/person_model.json")
    model: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    model["link_type"] = "link_only" if link_only else "dedupe_only"
    # Blocking chooses pairs and has no parameters: today's rules, not the file's.
    model["blocking_rules_to_generate_predictions"] = blocking_rules()
    return model


def is_current(model: Mapping[str, Any] | None) -> bool:
    """Whether ``model`` (one a directory stored at its last full run) scores with
    today's comparisons: a model stored by an earlier Kavach may have other levels,
    and a level's number would then be read as another level's label."""
    if model is None:
        return True

    def conditions(found: Iterable[Mapping[str, Any]]) -> list[list[str]]:
        return [[lv["sql_condition"] for lv in c["comparison_levels"]] for c in found]

    return conditions(model.get("comparisons", [])) == conditions(comparisons())


def _fullest(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    """Of ``columns``, the one most rows fill ('' when no row fills any)."""
    filled = Counter(c for row in rows for c in columns if row[c] is not None)
    return filled.most_common(1)[0][0] if filled else ""


def _split(rows: list[dict[str, Any]], link_only: bool) -> list[Any]:
    if not link_only:
        return [_table(rows)]
    names = sorted({row["source_dataset"] for row in rows})
    return [_table([r for r in rows if r["source_dataset"] == n]) for n in names]


def resolve(
    records: Sequence[Record],
    *,
    reference_year: int,
    threshold: float = DEFAULT_THRESHOLD,
    link_only: bool = False,
    seed: int = 1,
) -> Resolution:
    """Cluster ``records`` (deduplicate one set, or link two when ``link_only``)."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    if not records:
        return Resolution({})
    rows = _feature_rows(records, reference_year)
    if len(rows) >= MIN_TRAINING:
        model = train(rows, link_only, seed)
    else:
        model = shipped_model(link_only)
    tables = _split(rows, link_only)
    shared = len({p for row in rows for p in row["shared_phones"]})
    # The rows as Python objects are several times their Arrow table's size: let
    # them go before DuckDB's joins need the memory (at 1 M records, ~2 GiB).
    del rows
    linker = _linker(tables, link_only, model)
    scored = linker.inference.predict(threshold_match_probability=0.01)
    links, count = _links(scored, threshold)
    ids = [(r.dataset, r.record_id) for r in records]
    return Resolution(_clusters(ids, links), links, count, shared, model)


def resolve_new(
    existing: Sequence[Record],
    new: Sequence[Record],
    *,
    reference_year: int,
    model: dict[str, Any] | None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Resolution:
    """The links of ``new`` records: to the existing ones and among themselves.

    Pairs of two existing records are not scored again (Splink's predict_between
    and predict_within), and ``model`` — the one the existing records were
    resolved with — scores the rest, so a new record changes no earlier score.
    Term frequencies and shared phones are counted on all records together.
    """
    from splink import Linker

    logging.getLogger("splink").setLevel(logging.ERROR)
    if not new:
        return Resolution({})
    rows = _feature_rows([*existing, *new], reference_year)
    fresh = {r.record_id for r in new}
    old_rows = [row for row in rows if row["unique_id"] not in fresh]
    new_rows = [row for row in rows if row["unique_id"] in fresh]
    settings = dict(model) if model else shipped_model(False)
    settings["link_type"] = "dedupe_only"
    settings["blocking_rules_to_generate_predictions"] = blocking_rules()
    api = _api()
    linker = Linker(api.register(_table(rows)), settings, log_level=None)
    for column in _tf_columns():
        linker.table_management.compute_tf_table(column)
    new_frame = api.register(_table(new_rows))
    scored = [
        linker.inference.predict_within(new_frame, threshold_match_probability=0.01)
    ]
    if old_rows:
        old_frame = api.register(_table(old_rows))
        scored.append(
            linker.inference.predict_between(
                old_frame, new_frame, threshold_match_probability=0.01
            )
        )
    links: list[Link] = []
    count = 0
    for frame in scored:
        found, n = _links(frame, threshold)
        links += found
        count += n
    shared = len({p for row in rows for p in row["shared_phones"]})
    ids = [(r.dataset, r.record_id) for r in new]
    return Resolution(_clusters(ids, links), links, count, shared, settings)


def _tf_columns() -> list[str]:
    return [
        level["tf_adjustment_column"]
        for comparison in comparisons()
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    ]


def _links(scored: Any, threshold: float) -> tuple[list[Link], int]:
    """The pairs that may link, fetched from DuckDB with only the columns a link
    keeps: at a million records most scored pairs fall far below the threshold."""
    relation = scored.as_duckdbpyrelation()
    count = relation.count("*").fetchall()[0][0]
    gammas = [c[len("gamma_") :] for c in relation.columns if c.startswith("gamma_")]
    keep = ["match_weight", "match_probability", "unique_id_l", "unique_id_r"]
    keep += [c for c in relation.columns if c.startswith(("source_dataset_", "mw_"))]
    keep += [f"gamma_{g}" for g in gammas]
    strong = " OR ".join(
        f"gamma_{c} = {_TOP[c]}" for c in STRONG if f"gamma_{c}" in relation.columns
    )
    candidates = relation.filter(
        f"match_probability >= {float(threshold)!r}"
        + (f" OR {strong}" if strong else "")
    ).project(", ".join(f'"{c}"' for c in keep))
    labels = _level_labels()
    links: list[Link] = []
    for batch in candidates.to_arrow_table().to_batches(50_000):
        for row in batch.to_pylist():
            link = _link(row, gammas, labels, threshold)
            if link is not None:
                links.append(link)
    return links, int(count)


def _level_labels() -> dict[tuple[str, int], str]:
    """Each comparison's level labels by Splink's gamma: the first level is highest."""
    labels = {}
    for comparison in comparisons():
        levels = comparison["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        for position, level in enumerate(non_null):
            gamma = len(non_null) - 1 - position
            labels[(comparison["output_column_name"], gamma)] = level[
                "label_for_charts"
            ]
        labels[(comparison["output_column_name"], -1)] = "not recorded on one side"
    return labels


def _link(
    row: dict[str, Any],
    gammas: list[str],
    labels: dict[tuple[str, int], str],
    threshold: float,
) -> Link | None:
    levels = {g: labels[(g, int(row[f"gamma_{g}"]))] for g in gammas}
    deterministic = _deterministic(row)
    if deterministic is None and not (
        row["match_probability"] >= threshold and _plausible(row)
    ):
        return None
    weights = {
        g: float(row[f"mw_{g}"]) + float(row.get(f"mw_tf_adj_{g}") or 0.0)
        for g in gammas
    }
    return Link(
        left=f"{row.get('source_dataset_l', 'a')}\x1f{row['unique_id_l']}",
        right=f"{row.get('source_dataset_r', 'a')}\x1f{row['unique_id_r']}",
        match_weight=float(row["match_weight"]),
        match_probability=float(row["match_probability"]),
        levels=levels,
        weights=weights,
        deterministic=deterministic,
    )


# Levels of the name comparison (comparisons.name): 6 same name and initials, 5 same
# name, 4 one holds the other and initials fit, 3 one holds the other, 2 one word in
# common, 1 only the house name, 0 different. Birth: 4 same date, 3 a keystroke or a
# day/month swap apart, 2 within a year, 1 within 3 years, 0 further apart.
_NAME_FITS, _NAME_HOLDS, _ONE_WORD = 4, 3, 2
_SAME_DATE, _YEARS_APART = 3, 0
_NOT_RECORDED = -1


def _plausible(row: dict[str, Any]) -> bool:
    """The name says this may be one man, however much else agrees.

    Brothers share a house name, a father, an address and often the family phone;
    Fellegi–Sunter adds those up as if they were independent and would marry the
    brothers. A man's own records share his name, so the gate costs little: the
    weaker the name's agreement, the more the birth must agree too. A record with
    no name (a tip) links only by an identifier of its own (``_deterministic``):
    household evidence cannot tell which brother it is.
    """
    name, birth = int(row["gamma_name"]), int(row["gamma_birth"])
    if name >= _NAME_FITS:
        return True
    if name == _NAME_HOLDS:
        return birth != _YEARS_APART
    # One word in common (a brother's "Kumar" or "Menon") needs the same birth date.
    return name == _ONE_WORD and birth >= _SAME_DATE


def _deterministic(row: dict[str, Any]) -> str | None:
    """A rare strong identifier in common and a name that does not say otherwise.

    An id number is a person's own (a phone or a device is a family's): with one word
    of the name in common, or the same date of birth under another name — a changed
    name is what a repeat offender does — it is one person.
    """
    name, birth = int(row["gamma_name"]), int(row["gamma_birth"])
    if row.get("gamma_id_number") == _TOP["id_number"] and (
        birth >= _SAME_DATE or name >= _ONE_WORD
    ):
        return "id_number"
    # An account is one man's too: with the same date of birth, a name that reads
    # otherwise is a clerk's typing ("AAL A." for Amal) or a new name.
    if birth >= _SAME_DATE:
        for column in _PERSONAL:
            if row.get(f"gamma_{column}") == _TOP[column]:
                return column
    if name == _NOT_RECORDED and birth != _YEARS_APART:
        # No name to check against: a family's phone could be anyone's in it.
        strong = [c for c in STRONG if c != "phone"]
    elif name < _NAME_HOLDS or (name == _NAME_HOLDS and birth == _YEARS_APART):
        return None
    else:
        strong = list(STRONG)
    for column in strong:
        if int(row[f"gamma_{column}"]) == _TOP[column]:
            return column
    return None


def _clusters(ids: Iterable[tuple[str, str]], links: list[Link]) -> dict[str, str]:
    """Connected components; a cluster is named by its smallest member's id."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for link in links:
        a, b = find(link.left), find(link.right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {
        record_id: find(f"{dataset}\x1f{record_id}").split("\x1f", 1)[1]
        for dataset, record_id in ids
    }
