"""`edition import` on bad records (synthetic fixtures in tests/fixtures/records/, one defect each).

Each gets one clear `path:line:col: error: ... [rule]` message; the good records of the same
run are still imported; the exit code is 1.
"""

from __future__ import annotations


import pytest
from click.testing import CliRunner

from tei_edition.cli import main

from helpers import RECORDS, REPO, SEED, edition_config

BAD = {
    # file: (line, col, rule, words the message must contain)
    "missing-field.txt": (9, 1, "record-field-missing", 'missing field "Place of Meeting:"'),
    "unknown-field.txt": (13, 1, "record-field-unknown", 'unknown field "Atendance:"'),
    "bad-date.txt": (3, 1, "record-date", '"31-2-1952" is not a possible date'),
    "unreadable-date.txt": (3, 3, "record-date", '"sometime in autumn" is not a date'),
    "latin1.txt": (11, 13, "record-encoding", "not UTF-8: byte 0xe9"),
    "empty.txt": (1, 1, "record-empty", "the record is empty"),
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["import", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_record_gets_a_located_message(name, tmp_path):
    line, col, rule, words = BAD[name]
    path = RECORDS / name
    code, output = run(str(path), "--out", str(tmp_path / "out"), "--config", str(edition_config(tmp_path)))
    assert code == 1
    messages = [ln for ln in output.splitlines() if f"[{rule}]" in ln]
    assert messages, output
    assert messages[0].endswith(f": error: {words}" + messages[0].split(words, 1)[1])
    assert f"{path.name}:{line}:{col}: error: " in messages[0]
    assert "Traceback" not in output
    assert not list((tmp_path / "out").glob("*.xml")), "nothing is written for a bad record"


def test_unknown_field_is_one_message_not_a_cascade(tmp_path):
    code, output = run(str(RECORDS / "unknown-field.txt"), "--out", str(tmp_path),
                       "--config", str(edition_config(tmp_path)))
    assert "text outside any field" not in output
    # its text is not silently filed under the field before it; Attendance is reported missing
    assert 'missing field "Attendance:"' in output


def test_good_records_are_imported_beside_bad_ones(tmp_path):
    records = [str(RECORDS / name) for name in sorted(BAD)] + [str(SEED), str(RECORDS / "variants.txt")]
    code, output = run(*records, "--out", str(tmp_path / "out"), "--config", str(edition_config(tmp_path)))
    assert code == 1
    assert len(list((tmp_path / "out").glob("*.xml"))) == 2
    for name, (line, col, rule, _) in BAD.items():
        assert f"{name}:{line}:{col}: error:" in output and f"[{rule}]" in output
    assert "imported 2 of 8 record(s); 6 failed" in output


def test_missing_record_file_and_missing_config(tmp_path):
    code, output = run(str(tmp_path / "nope.txt"), "--out", str(tmp_path), "--config", str(edition_config(tmp_path)))
    assert code == 1 and "[record-io]" in output and "nope.txt:1:1: error: cannot read record" in output
    code, output = run(str(SEED), "--config", str(tmp_path / "missing.toml"))
    assert code == 2 and "config file not found" in output and "Traceback" not in output


def test_a_broken_document_of_the_edition_does_not_stop_an_import(tmp_path):
    """The importer reads only the edition header and the registers, not the other documents."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "broken.xml").write_text("<TEI>not closed", encoding="utf-8")  # synthetic
    (tmp_path / "edition.toml").write_text(
        f'[edition]\nheader = "{REPO / "tei" / "edition.xml"}"\nsources = ["docs/*.xml"]\n'
        f'registers = ["{REPO / "tei" / "registers"}/*.xml"]\n', encoding="utf-8")
    # without --out the draft goes to the folder of the config's sources
    code, output = run(str(SEED), "--config", str(tmp_path / "edition.toml"))
    assert code == 0, output
    assert "broken.xml" not in output and "0 not in the registers" in output
    assert [p.name for p in sorted((tmp_path / "docs").glob("*.xml"))] == [
        "1951-09-09-conference-mutual-aid-cooperation.xml", "broken.xml"]
