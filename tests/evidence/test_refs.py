"""Path specs round-trip whatever the names hold, at every layer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kavach.evidence.refs import Layer, PathSpec

# Names as seized media hold them: separators, newlines, NUL, backslashes, bytes
# that are not UTF-8, and empty names (a volume's own warnings).
TRICKY = st.sampled_from(
    [b":", b"!/", b"!", b"#", b"/", b"\n", b"\r", b"\0", b"\\", b"\\0", b"\xff", b"p1"]
)
NAMES = st.lists(st.one_of(TRICKY, st.binary(max_size=6)), max_size=6).map(b"".join)
INNER = st.sampled_from([Layer.MEMBER, Layer.VOLUME, Layer.FS])


@st.composite
def specs(draw: st.DrawFn) -> PathSpec:
    spec = PathSpec.file(draw(NAMES))
    for layer, name in draw(st.lists(st.tuples(INNER, NAMES), max_size=5)):
        spec = spec.child(layer, name)
    return spec


@given(specs())
def test_encoded_form_round_trips(spec: PathSpec) -> None:
    decoded = PathSpec.decode(spec.encode())
    assert decoded == spec and hash(decoded) == hash(spec)
    assert decoded.raw() == spec.raw() and decoded.display() == spec.display()


@given(specs())
def test_display_is_the_raw_form_with_bytes_escaped(spec: PathSpec) -> None:
    shown = spec.raw().decode("utf-8", "backslashreplace").replace("\0", "\\x00")
    assert spec.display() == shown
    assert "\0" not in spec.display()  # no PostgreSQL text column holds NUL
    assert spec.chain()[0].layer is Layer.FILE and spec.chain()[-1] is spec


def test_display_forms_stay_as_reports_show_them() -> None:
    image = PathSpec.file(b"2020-12-01T10:30/disk.E01")
    volume = image.child(Layer.VOLUME, b"p2")
    carved = volume.child(Layer.FS, b"$Carved/512.jpg")
    assert carved.display() == "2020-12-01T10:30/disk.E01#p2:$Carved/512.jpg"
    member = volume.child(Layer.FS, b"/x/a.zip").child(Layer.MEMBER, b"b\xff.jpg")
    assert member.display() == "2020-12-01T10:30/disk.E01#p2:/x/a.zip!/b\\xff.jpg"
    assert member.up_to(Layer.VOLUME) == volume
    assert PathSpec.file(b"").descend(b"a/b.jpg") == PathSpec.file(b"a/b.jpg")


def test_a_chain_has_one_top_and_bad_encodings_are_refused() -> None:
    with pytest.raises(ValueError):
        PathSpec(Layer.MEMBER, b"x")
    with pytest.raises(ValueError):
        PathSpec(Layer.FILE, b"x", PathSpec.file(b"y"))
    with pytest.raises(ValueError):
        PathSpec.decode(b"Xnot a spec")
    with pytest.raises(ValueError):
        PathSpec.decode(b"Fbad\\escape")
