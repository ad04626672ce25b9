"""NIST's hash sets for CAID: known, non-pertinent files in a Project VIC envelope.

NIST's NSRL publishes sets of ordinary files in the JSON that the UK's Child Abuse
Image Database (CAID) imports, so that a lab can set them aside. The envelope is
Project VIC's data model 1.2 (``"odata.metadata":
"http://github.com/ICMEC/ProjectVic/DataModels/1.2.xml#Media"``); each record holds
``MD5``, ``SHA1``, ``MediaSize`` and ``MediaFiles[].FileName`` and no category. IPED
reads the same files as "NIST CAID" and marks them known, as Kavach does: the list's
role is ``known`` unless the import says ``--role``.
"""

from __future__ import annotations

from pathlib import Path

from kavach.hashsets.formats.interface import text_head
from kavach.hashsets.formats.vics import VicsFormat
from kavach.vocabulary import Role

DATA_MODEL = "github.com/ICMEC/ProjectVic/DataModels/1.2.xml#Media"


class NistCaidFormat(VicsFormat):
    name = "nist-caid"
    description = "NIST hash sets for CAID (Project VIC 1.2 JSON; known files)"
    default_role = Role.KNOWN
    default_scheme = "none"

    def sniff(self, head: bytes, path: Path) -> int:
        text = text_head(head[:4096])
        return 97 if text.lstrip().startswith("{") and DATA_MODEL in text else 0

    def scheme_for(self, metadata: str) -> str:
        return self.default_scheme
