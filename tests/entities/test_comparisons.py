"""The level each comparison gives a planted pair, scored by Splink on DuckDB with
the shipped model: what an analyst reads in a link's explanation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kavach.entities.linkage import (
    Record,
    _api,
    _feature_rows,
    _level_labels,
    _table,
    resolve,
    shipped_model,
)
from kavach.entities.synth import ROLES, Generator


def _score(
    left: Mapping[str, str], right: Mapping[str, str], *, among: Sequence[Record] = ()
) -> dict[str, Any]:
    """The pair's level label per comparison, its probability and whether any
    blocking rule would have put it before the model at all."""
    from splink import Linker

    records = [Record("left", left), Record("right", right), *among]
    table = _table(_feature_rows(records, 2026))
    api = _api()
    linker = Linker(api.register(table), shipped_model(False), log_level=None)
    scored = linker.inference.score_pair(
        api.register(table.slice(0, 1)),
        api.register(table.slice(1, 1)),
        include_found_by_blocking_rules=True,
    )
    row = scored.as_pandas_dataframe().iloc[0]  # type: ignore[no-untyped-call]
    labels = _level_labels()
    out: dict[str, Any] = {
        column[len("gamma_") :]: labels[(column[len("gamma_") :], int(row[column]))]
        for column in row.index
        if column.startswith("gamma_")
    }
    out["probability"] = float(row["match_probability"])
    out["blocked"] = bool(row["found_by_blocking_rules"])
    return out


def _others() -> list[Record]:
    """1,500 synthetic records around a planted pair, as a unit's records are."""
    rows = Generator(5).records(1500)
    return [Record(r["record_id"], {k: r[k] for k in ROLES if r[k]}) for r in rows]


def test_two_dates_of_birth_written_in_full_a_year_apart_are_two_births() -> None:
    apart = _score(
        {"full_name": "Sunil P.", "dob": "1992-02-24", "locality": "Kazhakkoottam"},
        {"full_name": "Sunil", "dob": "1991-11-30", "locality": "Kazhakkoottam"},
    )
    assert apart["birth"] == "different"
    by_age = _score(
        {"full_name": "Sunil P.", "dob": "1992-02-24"},
        {"full_name": "Sunil", "age": "33"},
    )
    assert by_age["birth"] == "born within a year (age)"
    slip = _score(
        {"full_name": "Sunil P.", "dob": "1992-02-24"},
        {"full_name": "Sunil", "dob": "24/03/1992"},
    )
    assert slip["birth"].startswith("date of birth one keystroke")


def test_neighbours_are_told_from_one_house() -> None:
    neighbours = _score(
        {"full_name": "Krishnan", "address": "Kalarithottathil, Swaraj Round"},
        {"full_name": "Krishnan", "address": "Edakkadthodiyil, Swaraj Round"},
    )
    assert neighbours["address"] == "other houses, address words in common"
    home = _score(
        {"full_name": "Krishnan", "address": "Kalarithottathil, Swaraj Round"},
        {"full_name": "K. Krishnan", "address": "കളരിത്തോട്ടത്തിൽ, Swaraj Round"},
    )
    assert home["address"] == "same house name, and more of the address"
    moved = _score(
        {"full_name": "Krishnan", "address": "Kalarithottathil, Swaraj Round"},
        {"full_name": "Krishnan", "address": "Kalarithottathil, Kaloor"},
    )
    assert moved["address"] == "same house name"
    # the neighbour weighs against, the house for
    assert neighbours["probability"] < moved["probability"] < home["probability"]


def test_a_transliterated_name_holds_its_english_spelling() -> None:
    for latin, malayalam in (("Peter", "പീറ്റർ"), ("Varghese", "വർഗീസ്")):
        pair = _score({"full_name": f"{latin} K."}, {"full_name": f"കെ. {malayalam}"})
        assert pair["name"].startswith("one name holds the other"), (latin, pair)
    # two consonants in common are too few: Renu and Rani, Mani and Meenu
    for one, other in (("Renu", "Rani"), ("Mani", "Meenu")):
        pair = _score({"full_name": f"{one} K."}, {"full_name": f"{other} K."})
        assert not pair["name"].startswith(("same name", "one name holds")), pair


def test_the_house_and_the_birth_find_a_name_transliterated_past_recognition() -> None:
    """No name word, district or PIN agrees: only the house name with the date of
    birth puts the pair before the model, and it links them."""
    latin = {
        "full_name": "C. P. Varghese",
        "dob": "1998-07-27",
        "address": "Cheriyamannil, Kunnamangalam",
    }
    malayalam = {
        "full_name": "സി. വർഗീസ്",
        "dob": "27/07/1998",
        "address": "ചെറിയമണ്ണിൽ, Kunnamangalam",
    }
    assert _score(latin, malayalam)["blocked"]
    strangers = [
        Record("s1", {"full_name": "Varghese M.", "dob": "1971-01-09"}),
        Record("s2", {"full_name": "Anil C.", "dob": "1998-07-27"}),
    ]
    clusters = resolve(
        [Record("a", latin), Record("b", malayalam), *strangers], reference_year=2026
    ).clusters
    assert clusters["a"] == clusters["b"]
    assert clusters["s1"] != clusters["a"] and clusters["s2"] != clusters["a"]


def test_one_e_mail_and_one_birth_link_a_name_typed_wrong() -> None:
    typed = {"full_name": "AAL A.", "dob": "27/12/1982", "email": "amal.1@example.in"}
    right = {"full_name": "Kizhakkevila Amal", "dob": "1982-12-27"}
    resolution = resolve(
        [
            Record("typed", typed),
            Record("right", {**right, "email": "amal.1@example.in"}),
            # the same e-mail on another birth is not enough under another name
            Record(
                "other",
                {
                    "full_name": "Biju",
                    "dob": "1990-01-01",
                    "email": "amal.1@example.in",
                },
            ),
        ],  # fmt: skip
        reference_year=2026,
    )
    by_email = {
        frozenset((link.left[-5:], link.right[-5:]))
        for link in resolution.links
        if link.deterministic == "email"
    }
    assert frozenset(("typed", "right")) in by_email
    assert resolution.clusters["typed"] == resolution.clusters["right"]
    assert resolution.clusters["other"] != resolution.clusters["typed"]


def test_a_rare_name_word_in_common_says_more_than_a_common_one() -> None:
    model = shipped_model(False)
    rarity = next(
        c for c in model["comparisons"] if c["output_column_name"] == "name_rarity"
    )
    weights = [
        level["m_probability"] / level["u_probability"]
        for level in rarity["comparison_levels"]
        if not level.get("is_null_level")
    ]
    assert weights[0] > weights[-1]  # rare (first band) over common (last)
    shared = _score(
        {"full_name": "Anil K.", "dob": "1980-01-01"},
        {"full_name": "K. Anil", "age": "46"},
        among=_others(),
    )
    assert shared["name_rarity"] != "not recorded on one side"
    # under 1,000 records a share of them says nothing: the comparison is silent
    few = _score(
        {"full_name": "Anil K.", "dob": "1980-01-01"},
        {"full_name": "K. Anil", "age": "46"},
    )
    assert few["name_rarity"] == "not recorded on one side"


def test_a_changed_e_mail_does_not_veto_a_man_whose_name_and_birth_agree() -> None:
    """The synthetic men never change their e-mail, so the model learnt on them
    would count a different one as 45 bits against; the shipped model holds
    every level at 10 bits against at most (default_model.MOST_AGAINST_BITS)."""
    from kavach.entities.default_model import MOST_AGAINST_BITS

    man = {"full_name": "Rajesh Kumar K.", "dob": "1988-04-12", "locality": "Kaloor"}
    pair = _score(
        {**man, "email": "rajesh.k@example.in"},
        {**man, "email": "rkumar88@example.in"},
        among=_others(),  # two records alone make every name "common" (tf 1.0)
    )
    assert pair["email"] == "different"
    assert pair["probability"] > 0.8
    for comparison in shipped_model(False)["comparisons"]:
        for level in comparison["comparison_levels"]:
            if "m_probability" in level and "u_probability" in level:
                ratio = level["m_probability"] / level["u_probability"]
                assert ratio >= 2**-MOST_AGAINST_BITS * 0.999, level
