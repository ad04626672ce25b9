"""The Fellegi–Sunter comparisons and blocking rules of the person linkage model.

Each comparison is a ladder of agreement levels written in DuckDB SQL over the
columns of ``features.Features``; Splink learns how much each level says (its m and
u probabilities) from the data. Levels are named for the analyst who reads a
link's explanation, so a label says what agreed, not how it was computed.
"""

from __future__ import annotations

from typing import Any

# Token-wise fuzzy agreement: every token of the shorter name has a near twin —
# spelt alike, or with the same three or more consonants, as an English spelling
# and a transliteration often are: Peter and പീറ്റർ ("pitar"), Varghese and
# വർഗീസ് ("varkis"), where Jaro–Winkler sees strangers. (Two consonants are too
# few: Manu and Meenu are a brother and a sister.)
_CONSONANTS = "regexp_replace({}, '[aeiou]', '', 'g')"
_TWIN = (
    "(jaro_winkler_similarity(x, y) >= 0.85 "
    f"OR (length({_CONSONANTS.format('x')}) >= 3 "
    f"AND {_CONSONANTS.format('x')} = {_CONSONANTS.format('y')}))"
)
# One word in common needs more: Rajesh and Ramesh are brothers, not typos.
_CLOSE = "jaro_winkler_similarity(x, y) >= 0.93"


def _level(sql: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _null(sql: str) -> dict[str, Any]:
    return _level(sql, "not recorded on one side", is_null_level=True)


_ELSE = _level("ELSE", "different")


def _tokens_within(small: str, large: str) -> str:
    """Each token of ``small`` has a near twin in ``large`` (both non-empty lists)."""
    return (
        f"len({small}) > 0 AND len(list_filter({small}, lambda x: "
        f"len(list_filter({large}, lambda y: {_TWIN})) > 0)) = len({small})"
    )


_INITIALS_FIT = (
    "list_has_all(name_letters_r, name_initials_l) "
    "AND list_has_all(name_letters_l, name_initials_r)"
)


def name() -> dict[str, Any]:
    """Whole names first, then the names without their house names (``name_core``):
    "Kizhakkethil Rajesh" of Kizhakkethil house holds "Rajesh Kumar K"'s Rajesh."""
    within = (
        f"({_tokens_within('name_core_l', 'name_core_r')} OR "
        f"{_tokens_within('name_core_r', 'name_core_l')})"
    )
    shares = (
        "len(list_filter(name_core_l, lambda x: "
        f"len(list_filter(name_core_r, lambda y: {_CLOSE})) > 0)) > 0"
    )
    return {
        "output_column_name": "name",
        "comparison_levels": [
            _null("name_key_l IS NULL OR name_key_r IS NULL"),
            _level(
                "name_key_l = name_key_r AND " + _INITIALS_FIT,
                "same name, same initials",
                tf_adjustment_column="name_key",
                tf_adjustment_weight=1.0,
            ),
            _level("name_key_l = name_key_r", "same name, other initials"),
            _level(
                f"{within} AND {_INITIALS_FIT}",
                "one name holds the other, initials fit",
            ),
            _level(within, "one name holds the other"),
            _level(shares, "a name in common"),
            _level(
                "len(list_intersect(name_tokens_l, name_tokens_r)) > 0",
                "only the house name in common",
            ),
            _ELSE,
        ],
    }


def name_rarity() -> dict[str, Any]:
    """How common the rarest name word two records share is: "Sebastian" in common
    says more than "Anil". Splink's own term-frequency adjustment needs an exact
    match level, which a name held within another is not, so rarity is a
    comparison of its own. A record's rarest word (``name_rare``) is shared when the
    other's name holds it; otherwise this comparison is silent (its null level),
    as the name comparison has already said what agreed. Its weights are learnt
    among pairs that share a word, so they add only what rarity tells beyond that.
    """
    left = "list_contains(name_core_r, name_rare_l)"
    right = "list_contains(name_core_l, name_rare_r)"
    share = (
        f"least(CASE WHEN {left} THEN name_rare_share_l END, "
        f"CASE WHEN {right} THEN name_rare_share_r END)"
    )
    unknown = "name_rare_share_l IS NULL OR name_rare_share_r IS NULL"
    levels = [_null(f"{unknown} OR NOT ({left} OR {right})")]
    for bound, label in _RARITY_BANDS:
        levels.append(_level(f"{share} < {bound}", label))
    levels.append(_level("ELSE", "a common name word in common"))
    return {"output_column_name": "name_rarity", "comparison_levels": levels}


# Shares of all records' names holding the word. Measured on 100,000 synthetic
# records: the commonest word (Suresh) is in 1.5 % of names; a record's rarest word
# is in under 0.4 % for one record in five and over 0.8 % for one in seven.
_RARITY_BANDS = (
    (0.002, "a rare name word in common (under 1 in 500 records)"),
    (0.004, "an uncommon name word in common (under 1 in 250)"),
    (0.008, "a name word in common held by under 1 in 125"),
)


def father() -> dict[str, Any]:
    return {
        "output_column_name": "father",
        "comparison_levels": [
            _null("father_key_l IS NULL OR father_key_r IS NULL"),
            _level(
                "father_key_l = father_key_r",
                "same father's name",
                tf_adjustment_column="father_key",
                tf_adjustment_weight=1.0,
            ),
            _level(
                "jaro_winkler_similarity(father_key_l, father_key_r) >= 0.88",
                "father's name spelt alike",
            ),
            _ELSE,
        ],
    }


_AN_AGE = "(dob_l IS NULL OR dob_r IS NULL)"


def birth() -> dict[str, Any]:
    swapped = (
        "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) "
        "AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
        "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
    )
    return {
        "output_column_name": "birth",
        "comparison_levels": [
            _null(
                "(dob_l IS NULL OR dob_r IS NULL) "
                "AND (birth_year_l IS NULL OR birth_year_r IS NULL)"
            ),
            _level("dob_l = dob_r", "same date of birth"),
            _level(
                f"damerau_levenshtein(dob_l, dob_r) <= 1 OR ({swapped})",
                "date of birth one keystroke or a day/month swap apart",
            ),
            # Two dates written in full that differ by more than a slip are two
            # men's: only an age (a year, give or take one) may be near.
            _level(
                f"{_AN_AGE} AND abs(birth_year_l - birth_year_r) <= 1",
                "born within a year (age)",
            ),
            _level(
                f"{_AN_AGE} AND abs(birth_year_l - birth_year_r) <= 3",
                "born within 3 years (age)",
            ),
            _ELSE,
        ],
    }


def place() -> dict[str, Any]:
    nothing = "(locality_{s} IS NULL AND postcode_{s} IS NULL AND district_{s} IS NULL)"
    return {
        "output_column_name": "place",
        "comparison_levels": [
            _null(f"{nothing.format(s='l')} OR {nothing.format(s='r')}"),
            _level(
                "locality_l = locality_r",
                "same locality",
                tf_adjustment_column="locality",
                tf_adjustment_weight=1.0,
            ),
            _level("postcode_l = postcode_r", "same PIN code"),
            _level("district_l = district_r", "same district"),
            _ELSE,
        ],
    }


def address() -> dict[str, Any]:
    common = "len(list_intersect(address_tokens_l, address_tokens_r))"
    return {
        "output_column_name": "address",
        "comparison_levels": [
            _null("len(address_tokens_l) = 0 OR len(address_tokens_r) = 0"),
            _level(
                f"address_head_l = address_head_r AND {common} >= 2",
                "same house name, and more of the address",
            ),
            _level("address_head_l = address_head_r", "same house name"),
            _level(
                "jaro_winkler_similarity(address_head_l, address_head_r) >= 0.9",
                "house names spelt alike",
            ),
            # Neighbours share the street and the place, not the house.
            _level(f"{common} >= 1", "other houses, address words in common"),
            _ELSE,
        ],
    }


def phone() -> dict[str, Any]:
    """A number many records hold (a family or shop phone) says less: its own level."""
    return {
        "output_column_name": "phone",
        "comparison_levels": [
            _null(
                "len(phones_l) + len(shared_phones_l) = 0 "
                "OR len(phones_r) + len(shared_phones_r) = 0"
            ),
            _level("len(list_intersect(phones_l, phones_r)) > 0", "same phone"),
            _level(
                "len(list_intersect(shared_phones_l, shared_phones_r)) > 0",
                "same phone, one that many records share",
            ),
            _ELSE,
        ],
    }


def exact(column: str, label: str) -> dict[str, Any]:
    return {
        "output_column_name": column,
        "comparison_levels": [
            _null(f"{column}_l IS NULL OR {column}_r IS NULL"),
            _level(f"{column}_l = {column}_r", f"same {label}"),
            _ELSE,
        ],
    }


def id_number() -> dict[str, Any]:
    return {
        "output_column_name": "id_number",
        "comparison_levels": [
            _null("id_number_l IS NULL OR id_number_r IS NULL"),
            _level("id_number_l = id_number_r", "same id number"),
            _level(
                "damerau_levenshtein(id_number_l, id_number_r) <= 1",
                "id number one keystroke apart",
            ),
            _ELSE,
        ],
    }


def comparisons() -> list[dict[str, Any]]:
    return [
        name(),
        name_rarity(),
        father(),
        birth(),
        place(),
        address(),
        phone(),
        exact("email", "e-mail"),
        exact("handle", "handle"),
        exact("imei", "IMEI"),
        id_number(),
    ]


def blocking_rules() -> list[dict[str, Any]]:
    """Which pairs are compared at all: each rule an equi-join that keeps blocks small.

    Names are blocked word by word (an exploded array of the name without its house
    name), so "K. Rajesh" meets "Rajesh Kumar K" through "rajes"; a word alone would
    make blocks of tens of thousands at 1 M records, so each rule adds a date, a
    place, the house or the father.
    """
    from splink import block_on

    rules = [
        block_on("core_token", "dob", arrays_to_explode=["core_token"]),
        block_on(
            "core_token", "birth_year", "district", arrays_to_explode=["core_token"]
        ),
        block_on("core_token", "postcode", arrays_to_explode=["core_token"]),
        block_on("core_token", "locality", arrays_to_explode=["core_token"]),
        block_on("core_token", "address_head", arrays_to_explode=["core_token"]),
        block_on(
            "core_token", "father_key", "district", arrays_to_explode=["core_token"]
        ),
        block_on("name_key", "locality"),
        block_on("block_phone", arrays_to_explode=["block_phone"]),
        block_on("address_head", "dob"),
        block_on("address_head", "father_key"),
        block_on("dob", "district"),
        block_on("dob", "postcode"),
        block_on("email"),
        block_on("imei"),
        block_on("handle"),
        block_on("id_number"),
    ]
    made = [rule.get_blocking_rule("duckdb") for rule in rules]
    return [rule.as_dict() for rule in made]  # type: ignore[no-untyped-call]
