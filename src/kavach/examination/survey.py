"""One pass over an exhibit's file records: tools by name, signs of wiping, where
and with what camera pictures were taken, and what was examined."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from kavach.examination.model import ToolFinding
from kavach.examination.tool_rules import ToolRules
from kavach.examination.wiping import FileFacts, WipingSign, is_user_file, wiping_signs
from kavach.reporting.rows import FileRow

# The phone's own camera writes here: a camera seen in these folders is the
# device's own, and material from that camera was likely made with the device.
_OWN_CAMERA_FOLDERS = ("/dcim/", "dcim/", "/camera roll/", "cameraroll/")


@dataclass(frozen=True, slots=True)
class Camera:
    make: str | None
    model: str | None
    serial: str | None

    def label(self) -> str:
        name = " ".join(p for p in (self.make, self.model) if p) or "unknown camera"
        return f"{name} (serial {self.serial})" if self.serial else name


@dataclass
class FileSurvey:
    """What one pass over an exhibit's file records found."""

    pictures: int = 0
    videos: int = 0
    deleted: int = 0
    tools: list[ToolFinding] = field(default_factory=list)
    places: Counter[str] = field(default_factory=Counter)
    cameras: Counter[Camera] = field(default_factory=Counter)
    own_cameras: set[Camera] = field(default_factory=set)
    # Per file record with such metadata: its camera and place (for the hits).
    file_cameras: dict[int, Camera] = field(default_factory=dict)
    file_places: dict[int, str] = field(default_factory=dict)
    wiping: list[WipingSign] = field(default_factory=list)


def survey_files(
    files: Callable[[], Iterable[FileRow]],
    rules: ToolRules,
    device_bytes: int | None = None,
    seized_at: datetime | None = None,
) -> FileSurvey:
    """Everything the exhibit report says about the files beyond their hits.

    ``files`` gives the records afresh each call: two streamed passes (counts and
    tools, then the facts for the signs of wiping) hold no list of a million
    records in memory.
    """
    survey = FileSurvey()
    survey.tools = rules.match_all(_counted(survey, files()))
    facts = (
        FileFacts(
            row.path,
            row.size,
            row.modified_at,
            row.created_at,
            is_user_file(row.path, row.mime),
        )
        for row in files()
        if not row.deleted and not row.carved
    )
    survey.wiping = wiping_signs(
        facts, device_bytes, seized_at, survey.tools, deleted_count=survey.deleted
    )
    return survey


def local_production(survey: FileSurvey, file_ids: list[int]) -> list[str]:
    """Indicators that the files ``file_ids`` (material) were made on or near the
    device: its own camera, GPS positions inside Kerala. Indicators, not findings."""
    from kavach.geo.boundaries import KERALA_DISTRICTS

    own = [i for i in file_ids if survey.file_cameras.get(i) in survey.own_cameras]
    kerala = [i for i in file_ids if survey.file_places.get(i) in KERALA_DISTRICTS]
    found = []
    if own:
        cameras = sorted({survey.file_cameras[i].label() for i in own})
        found.append(
            f"{len(own)} of the files matching alert lists were taken with a camera "
            f"the device's own photo folders show ({'; '.join(cameras)}): this may "
            "indicate they were made with the device."
        )
    if kerala:
        places = sorted({survey.file_places[i] for i in kerala})
        found.append(
            f"{len(kerala)} of the files matching alert lists hold GPS positions in "
            f"Kerala ({', '.join(places)})."
        )
    return found


def _counted(survey: FileSurvey, files: Iterable[FileRow]) -> Iterator[str]:
    for row in files:
        _count(survey, row)
        yield row.path


def _count(survey: FileSurvey, row: FileRow) -> None:
    if row.mime.startswith("image/"):
        survey.pictures += 1
    elif row.mime.startswith("video/"):
        survey.videos += 1
    if row.deleted:
        survey.deleted += 1
    if row.place:
        survey.places[row.place] += 1
        survey.file_places[row.file_id] = row.place
    if row.camera_make or row.camera_model or row.camera_serial:
        camera = Camera(row.camera_make, row.camera_model, row.camera_serial)
        survey.cameras[camera] += 1
        survey.file_cameras[row.file_id] = camera
        if any(folder in row.path.lower() for folder in _OWN_CAMERA_FOLDERS):
            survey.own_cameras.add(camera)
