"""The shipped model, trained on synthetic records.

``python -m kavach.entities.default_model`` writes it again.

Run it again whenever ``comparisons.py`` changes; ``tests/entities`` fails when the
shipped file's comparisons no longer match the code's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kavach.entities.linkage import Record, _feature_rows, train
from kavach.entities.synth import REFERENCE_YEAR, ROLES, Generator

RECORDS = 100_000
TARGET = Path(__file__).with_name("data") / "person_model.json"
# The synthetic men never change their e-mail or house and never misstate their
# age by two years, so the model learns that such a record is never theirs (an m
# probability of 0: 30 to 50 bits against, a veto). Real men do all three, and the
# shipped model scores real units' records, so no level may count more than this
# many bits against a link: a changed e-mail is then outweighed by a name, a date
# of birth and a phone that agree, as an examiner would weigh it.
MOST_AGAINST_BITS = 10.0


def floored(model: dict[str, Any]) -> dict[str, Any]:
    """``model`` with every level's weight held at -``MOST_AGAINST_BITS`` or above."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is not None and u is not None:
                level["m_probability"] = max(m, u * 2**-MOST_AGAINST_BITS)
    return model


def main() -> None:
    rows = Generator(seed=2026).records(RECORDS)
    records = [Record(r["record_id"], {k: r[k] for k in ROLES if r[k]}) for r in rows]
    model = train(_feature_rows(records, REFERENCE_YEAR), link_only=False, seed=1)
    model = floored(model)
    model.pop("linker_uid", None)
    TARGET.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n")
    print(f"written {TARGET}")


if __name__ == "__main__":
    main()
