"""The shipped model, trained on synthetic records.

``python -m kavach.entities.default_model`` writes it again.

Run it again whenever ``comparisons.py`` changes; ``tests/entities`` fails when the
shipped file's comparisons no longer match the code's.
"""

from __future__ import annotations

import json
from pathlib import Path

from kavach.entities.linkage import Record, _feature_rows, train
from kavach.entities.synth import REFERENCE_YEAR, ROLES, Generator

RECORDS = 100_000
TARGET = Path(__file__).with_name("data") / "person_model.json"


def main() -> None:
    rows = Generator(seed=2026).records(RECORDS)
    records = [Record(r["record_id"], {k: r[k] for k in ROLES if r[k]}) for r in rows]
    model = train(_feature_rows(records, REFERENCE_YEAR), link_only=False, seed=1)
    model.pop("linker_uid", None)
    TARGET.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n")
    print(f"written {TARGET}")


if __name__ == "__main__":
    main()
