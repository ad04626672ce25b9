"""Resolution measured on labelled synthetic records and on planted cases."""

from __future__ import annotations

from kavach.entities.evaluation import pair_scores
from kavach.entities.linkage import Record, resolve
from kavach.entities.synth import ROLES, Generator


def _records(rows: list[dict[str, str]]) -> list[Record]:
    return [Record(r["record_id"], {k: r[k] for k in ROLES if r[k]}) for r in rows]


def test_synthetic_records_resolve_with_high_precision_and_recall() -> None:
    rows = list(Generator(11).records(4000))
    resolution = resolve(_records(rows), reference_year=2026, threshold=0.8)
    scores = pair_scores(
        resolution.clusters, {r["record_id"]: r["person"] for r in rows}
    )
    assert scores.actual > 1000  # the generator made real work
    assert scores.precision >= 0.95 and scores.recall >= 0.85, scores
    assert any(link.deterministic for link in resolution.links)


def _planted() -> list[Record]:
    """One man written four ways, his brother, and strangers around them."""
    brother_house = {"address": "Kizhakkethil, Kakkanad", "district": "Ernakulam"}
    man = [
        {"full_name": "K. Rajesh", "dob": "1988-04-12", "phone": "9847012345"},
        {"full_name": "Rajesh Kumar K", "dob": "12/04/1988", "father_name": "Gopalan"},
        {"full_name": "കിഴക്കേതിൽ രാജേഷ്", "age": "38", "father_name": "ഗോപാലൻ"},
        {"full_name": "RAJESH K.", "dob": "19880412", "imei": "356938035643809"},
    ]
    brother = {"full_name": "K. Suresh", "dob": "1991-01-30", "phone": "9847012345"}
    strangers = [
        {"full_name": "Anil P.", "dob": "1975-02-02", "district": "Kollam"},
        {"full_name": "Rajesh M.", "dob": "1969-08-09", "district": "Kannur"},
    ]
    rows = [{**brother_house, **r} for r in [*man, brother]] + strangers
    # a later record of the same man on another phone, known by the same IMEI
    rows.append({"full_name": "Rajeesh Kizhakkethil", "imei": "356938035643809"})
    return [Record(f"r{i}", row) for i, row in enumerate(rows)]


def test_one_man_written_many_ways_is_one_person_and_his_brother_is_not() -> None:
    records = _planted()
    clusters = resolve(records, reference_year=2026).clusters
    man = {clusters[f"r{i}"] for i in (0, 1, 2, 3, 7)}
    assert len(man) == 1
    assert clusters["r4"] not in man  # the brother shares house, phone, place
    assert len({clusters["r5"], clusters["r6"]} | man) == 3


def test_every_link_explains_itself() -> None:
    resolution = resolve(_planted(), reference_year=2026)
    assert resolution.links
    for link in resolution.links:
        assert link.levels["name"] and "name" in link.weights
        scored = sum(link.weights.values())
        assert link.deterministic or abs(scored - link.match_weight) < 25
    by_imei = [link for link in resolution.links if link.deterministic == "imei"]
    assert by_imei and all(link.levels["imei"] == "same IMEI" for link in by_imei)


def test_the_shipped_model_has_todays_comparisons() -> None:
    """Run ``python -m kavach.entities.default_model`` after changing comparisons."""
    import json
    from importlib import resources

    from kavach.entities.comparisons import comparisons

    text = resources.files("kavach.entities").joinpath("data/person_model.json")
    shipped = json.loads(text.read_text(encoding="utf-8"))["comparisons"]
    assert [
        [level["sql_condition"] for level in c["comparison_levels"]] for c in shipped
    ] == [
        [level["sql_condition"] for level in c["comparison_levels"]]
        for c in comparisons()
    ]
    for comparison in shipped:  # every level has learnt m and u probabilities
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level") and comparison["output_column_name"] in (
                "name",
                "birth",
                "phone",
                "place",
                "address",
            ):
                assert "m_probability" in level and "u_probability" in level
