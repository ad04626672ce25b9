"""The stored directory: persons keep their ids, decisions hold across runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kavach.bootstrap import Kavach
from kavach.cases.records import NewPerson
from kavach.errors import InputError, NotFoundError
from kavach.services.tips import TipImportOptions
from tests.helpers.casework import person, report, write_reports

WHO = "analyst-1"


def _add(app: Kavach, name: str, **fields: object) -> str:
    new = NewPerson(name, **fields)  # type: ignore[arg-type]
    return f"person:{app.services.casework.add_person(new, WHO)}"


def _planted(app: Kavach) -> dict[str, str]:
    """One man under three names, his brother on the family phone, a stranger."""
    return {
        "rajesh_fir": _add(
            app,
            "K. Rajesh",
            father_name="Gopalan",
            date_of_birth=date(1988, 4, 12),
            address="Kizhakkethil, Kakkanad",
            identifiers=(("phone", None, "+919847012345"),),
        ),
        "rajesh_arrest": _add(
            app,
            "Rajesh Kumar K",
            name_malayalam="രാജേഷ് കുമാർ",
            father_name="Gopalan",
            date_of_birth=date(1988, 4, 12),
            address="Kizhakkethil House, Kakkanad",
            identifiers=(("device_id", None, "IMEI:356938035643809"),),
        ),
        "brother": _add(
            app,
            "K. Suresh",
            father_name="Gopalan",
            date_of_birth=date(1991, 1, 30),
            address="Kizhakkethil, Kakkanad",
            identifiers=(("phone", None, "+919847012345"),),
        ),
        "stranger": _add(
            app, "Anil P.", date_of_birth=date(1975, 2, 2), address="Kollam"
        ),
    }


def _person(app: Kavach, key: str) -> int:
    return app.services.directory.person_of(key, WHO)


def test_resolution_files_persons_and_explains_each_link(app: Kavach) -> None:
    keys = _planted(app)
    run = app.services.directory.resolve(WHO)
    assert run.mode.value == "full" and run.records == 4
    rajesh = _person(app, keys["rajesh_fir"])
    assert _person(app, keys["rajesh_arrest"]) == rajesh
    assert _person(app, keys["brother"]) != rajesh
    assert _person(app, keys["stranger"]) not in (rajesh, _person(app, keys["brother"]))
    explained = app.services.directory.explain(rajesh, WHO)
    linked = [e for e in explained if e.state == "linked"]
    assert linked and all(e.link.levels and e.link.weights for e in linked)
    assert {linked[0].link.left, linked[0].link.right} == {
        keys["rajesh_fir"],
        keys["rajesh_arrest"],
    }
    actions = [e.action for e in app.services.audit.entries()]
    assert "directory.resolve" in actions and "directory.explain" in actions


def test_never_link_survives_a_full_rerun(app: Kavach) -> None:
    keys = _planted(app)
    directory = app.services.directory
    directory.resolve(WHO)
    rajesh = _person(app, keys["rajesh_fir"])
    directory.never(keys["rajesh_fir"], keys["rajesh_arrest"], "two men: ids", WHO)
    first, second = (
        _person(app, keys["rajesh_fir"]),
        _person(app, keys["rajesh_arrest"]),
    )
    assert first != second and rajesh in (first, second)
    directory.resolve(WHO, full=True)
    assert _person(app, keys["rajesh_fir"]) == first
    assert _person(app, keys["rajesh_arrest"]) == second
    entry = [e for e in app.services.audit.entries() if e.action == "directory.apart"]
    assert entry and entry[0].detail["reason"] == "two men: ids"


def test_new_record_joins_without_moving_other_ids(app: Kavach, tmp_path: Path) -> None:
    keys = _planted(app)
    directory = app.services.directory
    directory.resolve(WHO)
    before = {name: _person(app, key) for name, key in keys.items()}
    # A tip names him by his phone and a third spelling of his name.
    tips = write_reports(
        tmp_path / "tips.json",
        [report("T-1", [person(phone="+919847012345", first="Rajesh", last="K")])],
    )
    app.services.tips.import_paths([tips], TipImportOptions(), WHO)
    run = directory.resolve(WHO)
    assert run.mode.value == "incremental" and run.new_records == 1
    tip_key = next(
        k for k in app.services.directory._repository.filed() if k.startswith("tip:")
    )
    assert _person(app, tip_key) == before["rajesh_fir"]
    assert {name: _person(app, key) for name, key in keys.items()} == before


def test_merge_keeps_the_larger_id_and_retires_the_other(app: Kavach) -> None:
    keys = _planted(app)
    directory = app.services.directory
    directory.resolve(WHO)
    rajesh, stranger = _person(app, keys["rajesh_fir"]), _person(app, keys["stranger"])
    directory.merge(rajesh, stranger, "same man: fingerprints", WHO)
    assert _person(app, keys["stranger"]) == rajesh
    with pytest.raises(NotFoundError, match=f"merged into person {rajesh}"):
        directory.explain(stranger, WHO)
    # and a split takes him out again, as a new person
    run = directory.split(rajesh, [keys["stranger"]], "fingerprints were wrong", WHO)
    assert run.new_persons == 1
    assert _person(app, keys["stranger"]) not in (rajesh, stranger)
    assert _person(app, keys["rajesh_arrest"]) == rajesh


def test_decisions_need_known_records_and_a_reason(app: Kavach) -> None:
    keys = _planted(app)
    directory = app.services.directory
    with pytest.raises(NotFoundError, match="run `kavach directory resolve` first"):
        directory.never(keys["rajesh_fir"], keys["brother"], "why", WHO)
    directory.resolve(WHO)
    with pytest.raises(InputError, match="needs a reason"):
        directory.never(keys["rajesh_fir"], keys["brother"], " ", WHO)
    with pytest.raises(NotFoundError, match="person:999"):
        directory.confirm(keys["rajesh_fir"], "person:999", "typo", WHO)


def test_a_decision_moves_no_record_outside_the_persons_it_names(app: Kavach) -> None:
    keys = _planted(app)
    directory = app.services.directory
    directory.resolve(WHO)
    stranger = _person(app, keys["stranger"])
    directory.never(keys["rajesh_fir"], keys["stranger"], "never him", WHO)
    directory.confirm(keys["rajesh_arrest"], keys["brother"], "test: merge", WHO)
    # a later regroup of Rajesh's person sees both decisions; the stranger, whom
    # only the first names, stays where he is
    directory.never(keys["rajesh_fir"], keys["rajesh_arrest"], "split again", WHO)
    assert _person(app, keys["stranger"]) == stranger
    assert _person(app, keys["rajesh_arrest"]) == _person(app, keys["brother"])
    assert _person(app, keys["rajesh_fir"]) != _person(app, keys["rajesh_arrest"])


def test_a_model_filed_before_the_comparisons_changed_is_not_reused(
    app: Kavach, tmp_path: Path
) -> None:
    """After an upgrade the stored model's levels are not today's: the next run
    scores everything again rather than read one level's number as another's."""
    import json

    from sqlalchemy import update

    from kavach.storage.directory_tables import directory_run

    keys = _planted(app)
    directory = app.services.directory
    directory.resolve(WHO)
    before = {name: _person(app, key) for name, key in keys.items()}
    engine = app.engine
    with engine.begin() as connection:
        text = connection.execute(directory_run.select()).one().model
        stored = json.loads(text)
        # as an earlier Kavach filed it: an address of three levels, no rarity
        stored["comparisons"] = [
            c for c in stored["comparisons"] if c["output_column_name"] != "name_rarity"
        ]
        connection.execute(update(directory_run).values(model=json.dumps(stored)))
    tips = write_reports(
        tmp_path / "tips.json",
        [report("T-1", [person(phone="+919847012345", first="Rajesh", last="K")])],
    )
    app.services.tips.import_paths([tips], TipImportOptions(), WHO)
    run = directory.resolve(WHO)
    assert run.mode.value == "full"
    assert {name: _person(app, key) for name, key in keys.items()} == before
    # the full run filed today's model: the run after it is incremental again
    assert directory.resolve(WHO).mode.value == "incremental"
