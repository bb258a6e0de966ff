"""Fixity: `edition deposit --verify` notices any single changed, missing or added file of a
deposit package, names it, and exits 1, for the bag folder and for its zip.

The package is built from the small synthetic corpus tests/fixtures/deposit-minimal (invented
letters and persons) once, when the tests are collected, so that every one of its real files,
payload and tag files alike, gets its own test case (parametrize, not sampling):

- altered: one byte in the middle of the file flipped;
- missing: the file deleted (from the folder, or left out of the zip);
- extra: a new file in every folder of data/, in a new sub-folder, hidden, and beside the tag files.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_edition.cli import main
from tei_edition.config import load_config
from tei_edition.writers.deposit.package import deposit_command

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "deposit-minimal"
NAME = "synthetic-letters-2.0"


@lru_cache(maxsize=None)
def pristine() -> Path:
    """The bag built once per session (copy it before damaging it)."""
    folder = Path(tempfile.mkdtemp(prefix="fixity-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    shutil.copytree(FIXTURE, folder / "edition")
    log: list[str] = []
    assert deposit_command(load_config(folder / "edition" / "edition.toml"), log=log.append) == 0, log
    return folder / "edition" / "output" / "deposit" / NAME


def bag_files() -> list[str]:
    return sorted(p.relative_to(pristine()).as_posix() for p in pristine().rglob("*") if p.is_file())


FILES = bag_files()
# Where a new file can appear: every folder of the payload, a new one, and the bag's top folder
PLACES = sorted({str(Path(f).parent.as_posix()) for f in FILES if f.startswith("data/")} |
                {"data/new-folder/deeper", "."})


def cases() -> list:
    return [pytest.param(f, id=f) for f in FILES]


def verify(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["deposit", "--verify", str(path)])
    return result.exit_code, result.output


@pytest.fixture
def bag(tmp_path) -> Path:
    copy = tmp_path / NAME
    shutil.copytree(pristine(), copy)
    return copy


def flipped(data: bytes) -> bytes:
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    return bytes(changed)


def test_the_pristine_bag_and_zip_pass():
    assert len(FILES) >= 15 and {"bagit.txt", "bag-info.txt", "manifest-sha512.txt"} <= set(FILES)
    assert verify(pristine())[0] == 0
    assert verify(pristine().parent / f"{NAME}.zip")[0] == 0


# -- the bag folder ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rel", cases())
def test_one_changed_byte_is_named(bag, rel):
    target = bag / rel
    target.write_bytes(flipped(target.read_bytes()))
    code, output = verify(bag)
    assert code == 1, output
    assert f"altered file {rel}:" in output, output


@pytest.mark.parametrize("rel", cases())
def test_a_deleted_file_is_named(bag, rel):
    (bag / rel).unlink()
    code, output = verify(bag)
    assert code == 1, output
    assert f"missing file {rel}" in output, output


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("name", ["added.xml", ".hidden"])
def test_an_added_file_is_named(bag, place, name):
    rel = (Path(place) / name).as_posix()
    (bag / rel).parent.mkdir(parents=True, exist_ok=True)
    (bag / rel).write_text("not part of the package\n", encoding="utf-8")
    code, output = verify(bag)
    assert code == 1, output
    assert f"extra file {rel}:" in output, output


# -- the zip ----------------------------------------------------------------------------------------

def rewritten_zip(tmp_path: Path, change) -> Path:
    """A copy of the package's zip with `change(member, data)` applied: returns new bytes or None."""
    target = tmp_path / f"{NAME}.zip"
    with zipfile.ZipFile(pristine().parent / f"{NAME}.zip") as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = change(info.filename.removeprefix(f"{NAME}/"), src.read(info))
            if data is not None:
                dst.writestr(info, data)
    return target


@pytest.mark.parametrize("rel", cases())
def test_one_changed_byte_in_the_zip_is_named(tmp_path, rel):
    path = rewritten_zip(tmp_path, lambda member, data: flipped(data) if member == rel else data)
    code, output = verify(path)
    assert code == 1, output
    assert f"altered file {rel}:" in output, output


@pytest.mark.parametrize("rel", cases())
def test_a_member_left_out_of_the_zip_is_named(tmp_path, rel):
    path = rewritten_zip(tmp_path, lambda member, data: None if member == rel else data)
    code, output = verify(path)
    assert code == 1, output
    assert f"missing file {rel}" in output, output


@pytest.mark.parametrize("place", PLACES)
def test_a_member_added_to_the_zip_is_named(tmp_path, place):
    rel = (Path(place) / "added.xml").as_posix()
    path = rewritten_zip(tmp_path, lambda member, data: data)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(f"{NAME}/{rel}", b"<x/>")
    code, output = verify(path)
    assert code == 1, output
    assert f"extra file {rel}:" in output, output
