"""Lists as partners and seized machines really write them, and lists built to hurt.

Each is imported through the real command; the test checks the message, the exit
code, what landed in the database, and (for the ones built to exhaust memory) the
command's peak memory measured from outside.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import samples
from tests.helpers.cli import Env, run_kavach, run_kavach_measured

ICSE_HEADER = (
    "MD5;SHA1;PhotoDNA;Image ID;Is distributed;Victim identified;"
    "Offender identified;Series name;Number of submissions;File Available;"
    "Media Type;Baseline\n"
)


def _lists(env: Env) -> str:
    return run_kavach(env, "hashset", "list").stdout


def test_md5sum_list_with_names_that_are_not_utf8(
    sqlite_env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "seized.md5"
    path.write_bytes(
        samples.MD5_A.encode()
        + b"  Fotos/Caf\xe9 \xff.jpg\n"
        + samples.MD5_B.encode()
        + b"  plain.jpg\n"
    )
    result = run_kavach(sqlite_env, "hashset", "import", path)
    assert "imported 2 entries" in result.stdout
    assert "line 1: not valid UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_plain_list_with_a_byte_order_mark(sqlite_env: Env, tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + samples.SHA1_A.encode() + b"\r\n")
    result = run_kavach(sqlite_env, "hashset", "import", path)
    assert "imported 1 entries" in result.stdout and "format plain" in result.stdout


def test_icse_export_with_bytes_that_are_not_utf8_names_the_line(
    sqlite_env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "icse.csv"
    path.write_bytes(
        ICSE_HEADER.encode()
        + f"{samples.MD5_A};{samples.SHA1_A};;1;Yes;No;No;S1;1;No;Image;No\n".encode()
        + f"{samples.MD5_B};{samples.SHA1_B};;2;Yes;No;No;".encode()
        + b"Serie \xe9t\xe9;1;No;Image;No\n"
    )
    result = run_kavach(sqlite_env, "hashset", "import", path)
    assert "imported 2 entries" in result.stdout
    assert "line 3: not valid UTF-8" in result.stderr


def test_icse_export_with_a_field_over_128_kb(sqlite_env: Env, tmp_path: Path) -> None:
    path = tmp_path / "icse.csv"
    long_series = "x" * (200 * 1024)
    path.write_text(
        ICSE_HEADER
        + f"{samples.MD5_A};{samples.SHA1_A};;1;Yes;No;No;{long_series};1;No;Image;No\n"
    )
    result = run_kavach(sqlite_env, "hashset", "import", path)
    assert "imported 1 entries" in result.stdout


def test_a_binary_file_with_no_line_ends_is_refused_by_line(
    sqlite_env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "blob.md5"
    with path.open("wb") as handle:
        handle.write(samples.MD5_A.encode() + b"  ")
        handle.write(b"A" * (17 * 1024 * 1024))
    result = run_kavach(
        sqlite_env, "hashset", "import", path, "--format", "plain", check=False
    )
    assert result.returncode == 2
    assert "line 1: longer than 16 MiB" in result.stderr
    assert "no hash lists imported yet" in _lists(sqlite_env)


def test_vics_nested_100000_levels_is_refused_in_bounded_memory(
    sqlite_env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    depth = 100_000
    path.write_text(
        '{"@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/'
        '2.0.xml/US/$metadata#Media", "value": [{"MD5": "'
        + samples.MD5_A
        + '", "Nested": '
        + "[" * depth
        + "]" * depth
        + "}]}"
    )
    # Capped at 3 GiB of address space, so a regression fails instead of eating the
    # machine (the old parser took 15.5 GB in a minute on this file).
    run = run_kavach_measured(
        sqlite_env, "hashset", "import", path, address_space=3 * 1024**3
    )
    assert run.returncode == 2, run.stderr
    assert "nested too deep (more than 64 levels)" in run.stderr
    assert "after Media record 0 (byte " in run.stderr
    assert run.peak_rss_mib < 300, f"{run.peak_rss_mib:.0f} MiB"
    assert "no hash lists imported yet" in _lists(sqlite_env)


def test_vics_nested_deep_before_the_records_is_refused(
    sqlite_env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "deep-head.json"
    depth = 50_000
    path.write_text(
        '{"junk": ' + "[" * depth + "]" * depth + ', "@odata.context": '
        '"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/'
        '$metadata#Media", "value": []}'
    )
    result = run_kavach(
        sqlite_env, "hashset", "import", path, "--format", "vics", check=False
    )
    assert result.returncode == 2 and "nested too deep" in result.stderr


def test_csv_list_with_a_header_in_any_order_is_sniffed(
    sqlite_env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "unit-list.csv"
    path.write_text(
        "FileName,Size,SHA-1,MD5,Case\n"
        f"a.jpg,10,{samples.SHA1_A},{samples.MD5_A},FIR 12/2024\n"
        f"b.jpg,20,,{samples.MD5_B},FIR 13/2024\n"
    )
    result = run_kavach(sqlite_env, "hashset", "import", path)
    assert "imported 2 entries" in result.stdout and "format csv" in result.stdout


def test_csv_list_with_columns_named_on_the_command_line(
    sqlite_env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "Item\tChecksum\tNote\n"
        f"x.jpg\t{samples.MD5_A}\tfrom partner\n"
        f"y.jpg\t{samples.MD5_B}\t\n"
    )
    unnamed = run_kavach(sqlite_env, "hashset", "import", path, check=False)
    assert unnamed.returncode != 0
    named = run_kavach(
        sqlite_env, "hashset", "import", path, "--columns", "md5=Checksum,name=Item"
    )
    assert "imported 2 entries" in named.stdout and "format csv" in named.stdout


def test_csv_columns_that_are_not_there_are_named(
    sqlite_env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(f"Item,Checksum\nx.jpg,{samples.MD5_A}\n")
    missing = run_kavach(
        sqlite_env, "hashset", "import", path, "--columns", "md5=Hash", check=False
    )
    assert missing.returncode == 2
    assert "line 1: no column 'Hash' for md5 (the header has: Item, Checksum)" in (
        missing.stderr
    )
    unknown = run_kavach(
        sqlite_env, "hashset", "import", path, "--columns", "crc=Item", check=False
    )
    assert unknown.returncode == 2 and "unknown field 'crc'" in unknown.stderr
    wrong_format = run_kavach(
        sqlite_env,
        "hashset",
        "import",
        path,
        "--format",
        "icse",
        "--columns",
        "md5=Checksum",
        check=False,
    )
    assert wrong_format.returncode == 2
    assert "--columns is for --format csv" in wrong_format.stderr


def test_nist_caid_set_is_a_known_list(sqlite_env: Env, tmp_path: Path) -> None:
    path = tmp_path / "NSRL_CAID.json"
    samples.nist_caid(path)
    result = run_kavach(sqlite_env, "hashset", "import", path)
    assert "format nist-caid, role known, scheme none" in result.stdout
    document = json.loads(path.read_text())
    assert len(document["value"]) == 2 and "imported 2 entries" in result.stdout


def _vics_list(path: Path, count: int) -> None:
    """A VICS 2.0 list of ``count`` Media records with MD5 and SHA-1, streamed out."""
    import hashlib

    with path.open("w") as handle:
        handle.write(
            '{"@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/'
            'DataModels/2.0.xml/US/$metadata#Media", "value": ['
        )
        for i in range(count):
            seed = str(i).encode()
            record = {
                "MediaID": i,
                "Category": 1,
                "MD5": hashlib.md5(seed).hexdigest(),
                "SHA1": hashlib.sha1(seed).hexdigest(),
                "MediaFiles": [{"FileName": f"f{i}.jpg"}],
            }
            handle.write(("," if i else "") + json.dumps(record))
        handle.write("]}")


@pytest.mark.slow
def test_importing_a_large_list_keeps_memory_flat(
    sqlite_env: Env, tmp_path: Path
) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    _vics_list(small, 1_000)
    _vics_list(large, 600_000)
    baseline = run_kavach_measured(sqlite_env, "hashset", "import", small)
    assert baseline.returncode == 0, baseline.stderr
    big = run_kavach_measured(sqlite_env, "hashset", "import", large)
    assert big.returncode == 0 and "imported 600,000 entries" in big.stdout
    # Holding the digests in memory cost about 135 bytes an entry (80 MB here);
    # spooled to disk and indexed a bucket at a time, the growth is a few MB.
    growth = big.peak_rss_mib - baseline.peak_rss_mib
    assert growth < 20, f"{growth:.0f} MiB more for 600,000 entries"
