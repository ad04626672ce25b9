"""``kavach persons``: synthetic records in, clusters and explained links out."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.helpers.cli import Env, run_kavach

MAP = [
    "--map", "full_name=full_name", "--map", "father_name=father_name",
    "--map", "dob=dob", "--map", "age=age", "--map", "address=address",
    "--map", "locality=locality", "--map", "district=district",
    "--map", "postcode=postcode", "--map", "phone=phone", "--map", "email=email",
    "--map", "imei=imei",
]  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_synth_then_dedupe_writes_a_cluster_per_record(
    sqlite_env: Env, tmp_path: Path
) -> None:
    records, clusters = tmp_path / "people.csv", tmp_path / "clusters.csv"
    pairs = tmp_path / "links.csv"
    run_kavach(sqlite_env, "persons", "synth", "--out", records, "--records", "800")
    truth = _rows(records)
    assert len(truth) == 800 and any(
        "\u0d00" <= c <= "\u0d7f" for r in truth for c in r["full_name"]
    )
    done = run_kavach(
        sqlite_env, "persons", "dedupe", records, "--id", "record_id", *MAP,
        "--out", clusters, "--pairs", pairs,
    )  # fmt: skip
    assert "800 records ->" in done.stdout
    out = _rows(clusters)
    assert [r["id"] for r in out] == [r["record_id"] for r in truth]
    assert list(out[0]) == ["id", "cluster_id"]
    person = {r["record_id"]: r["person"] for r in truth}
    cluster = {r["id"]: r["cluster_id"] for r in out}
    links = _rows(pairs)
    assert links and {"name_level", "name_weight", "linked_by"} <= set(links[0])
    right = sum(person[r["id_l"]] == person[r["id_r"]] for r in links)
    assert right / len(links) > 0.95
    assert all(cluster[r["id_l"]] == cluster[r["id_r"]] for r in links)
    assert not sqlite_env.data_dir.exists()  # stateless: no database, no data folder


def test_link_two_files_gives_linked_records_one_cluster(
    sqlite_env: Env, tmp_path: Path
) -> None:
    a, b, out = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "out.csv"
    head = "id,name,born,phone\n"
    a.write_text(head + "A1,K. Rajesh,1988-04-12,9847012345\nA2,Anil P.,1975-02-02,\n")
    b.write_text(
        head + "B1,Rajesh Kumar K,12/04/1988,+91 98470 12345\n"
        "B2,Mary Thomas,19990101,\n"
    )
    run_kavach(
        sqlite_env, "persons", "dedupe", a, "--link", b, "--id", "id",
        "--map", "full_name=name", "--map", "dob=born", "--map", "phone=phone",
        "--out", out,
    )  # fmt: skip
    cluster = {r["id"]: r["cluster_id"] for r in _rows(out)}
    assert set(cluster) == {"A1", "A2", "B1", "B2"}
    assert cluster["A1"] == cluster["B1"]
    assert len({cluster["A2"], cluster["B2"], cluster["A1"]}) == 3


def test_bad_input_names_the_file_line_and_column(
    sqlite_env: Env, tmp_path: Path
) -> None:
    path, out = tmp_path / "p.csv", tmp_path / "out.csv"
    path.write_text("id,name\n1,Rajesh\n2,Suresh\n1,Anil\n")
    args: list[str | Path] = ["persons", "dedupe", path, "--id", "id", "--out", out]
    repeated = run_kavach(sqlite_env, *args, "--map", "full_name=name", check=False)
    assert repeated.returncode == 2
    assert str(path) in repeated.stderr and "line 4" in repeated.stderr
    missing = run_kavach(sqlite_env, *args, "--map", "dob=birth", check=False)
    assert missing.returncode == 2 and "'birth'" in missing.stderr
    unknown = run_kavach(sqlite_env, *args, "--map", "shoe_size=name", check=False)
    assert unknown.returncode == 2 and "unknown role" in unknown.stderr
    assert not out.exists()
    nowhere = tmp_path / "missing" / "out.csv"
    refused = run_kavach(
        sqlite_env,
        "persons",
        "dedupe",
        path,
        "--id",
        "id",
        "--out",
        nowhere,
        "--map",
        "full_name=name",
        check=False,
    )
    assert refused.returncode == 2 and "no folder" in refused.stderr
