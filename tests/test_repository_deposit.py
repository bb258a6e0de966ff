"""`edition deposit --to`: the package into an InvenioRDM record, against a stand-in server.

No Zenodo is reachable here: tests/invenio_standin.py follows the documented records API in a
thread on 127.0.0.1 and validates every metadata payload against InvenioRDM's record JSON
schema (fetched from the pinned invenio-rdm-records wheel by tests/invenio_schema.py).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest

from tei_edition.repository import metadata as metadata_module
from tei_edition.repository.metadata import record

from helpers import REPO, invoke
from invenio_schema import record_validator, unresolved_references
from invenio_standin import StandIn

TOKEN = "s3cret-token-value"
PDF = b"%PDF-1.7\n% a stand-in for the print volume\n%%EOF\n"


@pytest.fixture(scope="session")
def validator():
    return record_validator()  # fails loudly when the schema cannot be fetched


@pytest.fixture
def server(validator):
    standin = StandIn(TOKEN, validator)
    yield standin
    standin.close()
    assert standin.schema_errors == []  # every metadata payload sent was valid


@pytest.fixture
def edition(tmp_path, monkeypatch) -> Path:
    """The bundled edition's config in a temporary folder (the state file is written beside it),
    with a print volume for the package."""
    schemas = sorted(str(p) for p in (REPO / "schema").glob("*") if p.suffix in {".xsd", ".sch"})
    config = tmp_path / "edition.toml"
    config.write_text("[edition]\n"
                      f'header = "{REPO / "tei/edition.xml"}"\n'
                      f'sources = ["{REPO / "tei/meetings/*.xml"}"]\n'
                      f'registers = ["{REPO / "tei/registers/*.xml"}"]\n'
                      f"schemas = {json.dumps(schemas)}\n"
                      'output = "output"\n', encoding="utf-8")
    (tmp_path / "output" / "pdf").mkdir(parents=True)
    (tmp_path / "output" / "pdf" / "volume-pdfa.pdf").write_bytes(PDF)
    monkeypatch.setenv("INVENIO_TOKEN", TOKEN)
    for name in ("ZENODO_TOKEN", "ZENODO_SANDBOX_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return config


def deposit(edition: Path, to: str, *args: str):
    result = invoke(["deposit", "--config", str(edition), "--to", to, *args], cwd=edition.parent)
    assert TOKEN not in result.output
    return result


def md5(path: Path) -> str:
    return "md5:" + hashlib.md5(path.read_bytes()).hexdigest()


def package(edition: Path) -> tuple[Path, Path]:
    (zip_path,) = (edition.parent / "output" / "deposit").glob("*.zip")
    return zip_path, zip_path.with_suffix("") / "data" / "pdf" / "volume-pdfa.pdf"


def state(edition: Path) -> dict:
    return json.loads((edition.parent / "deposit-records.json").read_text())["targets"]


# ---- the schema and the metadata ---------------------------------------------------------------


def test_the_record_schema_is_complete_and_bites(validator):
    assert unresolved_references(validator) == []
    wrong = {"metadata": {"creators": [{"person_or_org": {"type": "person"}}], "titel": "x"}}
    messages = [e.message for e in validator.iter_errors(wrong)]
    assert any("'titel' was unexpected" in m for m in messages) and any("'person'" in m for m in messages)


def test_metadata_maps_people_with_orcid_licence_language_and_relations(tmp_path, validator):
    datacite = tmp_path / "datacite.xml"
    datacite.write_text("""<resource xmlns="http://datacite.org/schema/kernel-4">
  <identifier identifierType="Local">e</identifier>
  <creators><creator><creatorName nameType="Personal">Lovelace, Ada</creatorName>
    <givenName>Ada</givenName><familyName>Lovelace</familyName>
    <nameIdentifier nameIdentifierScheme="ORCID">https://orcid.org/0000-0002-1825-0097</nameIdentifier>
  </creator></creators>
  <titles><title xml:lang="de">Briefe</title><title titleType="AlternativeTitle">Letters</title></titles>
  <publisher>Press</publisher><publicationYear>2024</publicationYear>
  <subjects><subject>letters</subject></subjects>
  <dates><date dateType="Issued">2024-05</date></dates>
  <language>de</language>
  <relatedIdentifiers><relatedIdentifier relatedIdentifierType="DOI" relationType="IsDerivedFrom">10.1/x</relatedIdentifier>
  </relatedIdentifiers>
  <version>2.0</version>
  <rightsList><rights rightsURI="https://creativecommons.org/publicdomain/zero/1.0/" rightsIdentifier="CC0-1.0"
    rightsIdentifierScheme="SPDX">CC0</rights><rights rightsURI="https://example.org/terms">House terms</rights></rightsList>
</resource>""", encoding="utf-8")
    body = record(datacite, "publication").body
    assert [e.message for e in validator.iter_errors(body)] == []
    m = body["metadata"]
    assert m["creators"] == [{"person_or_org": {"type": "personal", "family_name": "Lovelace", "given_name": "Ada",
                                                "identifiers": [{"scheme": "orcid",
                                                                 "identifier": "0000-0002-1825-0097"}]}}]
    assert (m["title"], m["publication_date"], m["version"], m["publisher"]) == ("Briefe", "2024-05", "2.0", "Press")
    assert m["additional_titles"] == [{"title": "Letters", "type": {"id": "alternative-title"}}]
    assert m["languages"] == [{"id": "deu"}] and m["resource_type"] == {"id": "publication"}
    assert m["rights"] == [{"id": "cc0-1.0"}, {"title": {"en": "House terms"}, "link": "https://example.org/terms"}]
    assert m["related_identifiers"] == [{"identifier": "10.1/x", "scheme": "doi",
                                         "relation_type": {"id": "isderivedfrom"}}]
    assert m["subjects"] == [{"subject": "letters"}]


# ---- the dry run -------------------------------------------------------------------------------


def printed_body(output: str, request: str) -> object:
    """The JSON body the dry run printed under `request` (its indented lines after the headers)."""
    lines = output.split(request + "\n", 1)[1].splitlines()
    body = []
    for line in lines:
        if not line.startswith("  "):
            break
        if body or line.strip() in ("{", "["):
            body.append(line)
    return json.loads("\n".join(body))


def test_dry_run_prints_the_requests_and_sends_nothing(edition, monkeypatch, validator):
    monkeypatch.setenv("ZENODO_SANDBOX_TOKEN", TOKEN)
    result = deposit(edition, "zenodo", "--sandbox", "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.output
    draft = printed_body(out, "POST https://sandbox.zenodo.org/api/records")
    assert [e.message for e in validator.iter_errors(draft)] == []
    assert draft["metadata"]["version"] == "0.1.0" and draft["files"] == {"enabled": True}
    zip_path, _ = package(edition)
    assert "POST https://sandbox.zenodo.org/api/records\n  Authorization: Bearer ***" in out
    assert '"title": "Meetings of the Chinese Communist Party Leadership"' in out
    for key in (zip_path.name, zip_path.stem + ".pdf"):
        assert f"PUT https://sandbox.zenodo.org/api/records/NEW-DRAFT-ID/draft/files/{key}/content" in out
        assert f"POST https://sandbox.zenodo.org/api/records/NEW-DRAFT-ID/draft/files/{key}/commit" in out
    assert f"<{zip_path.stat().st_size} bytes, {md5(zip_path)}>" in out
    assert "actions/publish" not in out
    assert not (edition.parent / "deposit-records.json").exists()
    published = deposit(edition, "zenodo", "--sandbox", "--dry-run", "--publish")
    assert "POST https://sandbox.zenodo.org/api/records/NEW-DRAFT-ID/draft/actions/publish" in published.output


def test_dry_run_needs_no_token_but_a_deposit_does(edition, monkeypatch):
    assert deposit(edition, "zenodo", "--dry-run").exit_code == 0
    result = deposit(edition, "zenodo")
    assert result.exit_code == 2
    assert "set the environment variable ZENODO_TOKEN" in result.output


# ---- depositing --------------------------------------------------------------------------------


def test_first_deposit_makes_a_draft_with_every_file_and_checksum(edition, server):
    result = deposit(edition, server.url)
    assert result.exit_code == 0, result.output
    assert server.schema_errors == []
    assert not server.records and len(server.drafts) == 1
    (draft_id,) = server.drafts
    zip_path, pdf = package(edition)
    files = {k: server.entry(draft_id, k) for k in server.files[draft_id]}
    assert {k: (f["status"], f["checksum"]) for k, f in files.items()} == {
        zip_path.name: ("completed", md5(zip_path)), zip_path.stem + ".pdf": ("completed", md5(pdf))}
    metadata = server.drafts[draft_id]["metadata"]
    assert all(metadata.get(k) for k in ("resource_type", "title", "publication_date", "creators", "publisher"))
    assert metadata["rights"] == [{"id": "cc-by-4.0"}] and metadata["languages"] == [{"id": "eng"}]
    assert state(edition) == {server.url: {"draft": draft_id, "version": "0.1.0",
                                           "url": f"{server.url}/uploads/{draft_id}"}}
    assert f"draft ready: {server.url}/uploads/{draft_id}" in result.output


def test_second_deposit_fills_the_same_draft_again(edition, server):
    assert deposit(edition, server.url).exit_code == 0
    again = deposit(edition, server.url)
    assert again.exit_code == 0, again.output
    assert len(server.drafts) == 1 and not server.records
    assert again.output.count("already on the server with the same checksum") == 2
    assert server.schema_errors == []


def test_published_record_gets_a_new_version_on_the_next_deposit(edition, server, monkeypatch):
    first = deposit(edition, server.url, "--publish")
    assert first.exit_code == 0, first.output
    (first_id,) = server.records
    assert f"published: {server.url}/records/{first_id} (DOI 10.5072/zenodo.{first_id})" in first.output
    assert state(edition)[server.url]["record"] == first_id
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # another bagging date: the package changed
    second = deposit(edition, server.url, "--publish")
    assert second.exit_code == 0, second.output
    assert f"a new version of record {first_id}" in second.output
    assert len(server.records) == 2 and list(server.parents) == [first_id]  # one record, two versions
    second_id = server.parents[first_id][1]
    assert state(edition)[server.url] == {"record": second_id, "version": "0.1.0",
                                          "url": f"{server.url}/records/{second_id}"}
    zip_path, _ = package(edition)
    assert server.entry(second_id, zip_path.name)["checksum"] == md5(zip_path)
    assert server.entry(first_id, zip_path.name)["checksum"] != md5(zip_path)
    assert server.schema_errors == []


def test_an_unchanged_package_is_not_deposited_twice(edition, server):
    assert deposit(edition, server.url, "--publish").exit_code == 0
    (record_id,) = server.records
    again = deposit(edition, server.url, "--publish")
    assert again.exit_code == 0, again.output
    assert f"already published with these very files: {server.url}/records/{record_id}" in again.output
    assert list(server.records) == [record_id] and not server.drafts


def test_a_publication_whose_answer_was_lost_is_not_made_twice(edition, server):
    server.fail("POST", r"/actions/publish$", "lost")
    result = deposit(edition, server.url, "--publish")
    assert result.exit_code == 2 and "[deposit-server]" in result.output
    (record_id,) = server.records  # the server did publish it
    again = deposit(edition, server.url, "--publish")
    assert again.exit_code == 0, again.output
    assert "already published with these very files" in again.output
    assert list(server.records) == [record_id] and not server.drafts
    assert state(edition)[server.url]["record"] == record_id


def test_a_draft_published_on_the_web_is_followed_by_a_new_version(edition, server, monkeypatch):
    assert deposit(edition, server.url).exit_code == 0
    (draft_id,) = server.drafts
    httpx.post(f"{server.url}/api/records/{draft_id}/draft/actions/publish",
               headers={"Authorization": f"Bearer {TOKEN}"}).raise_for_status()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the edition changed since
    again = deposit(edition, server.url)
    assert again.exit_code == 0, again.output
    assert f"a new version of record {draft_id}" in again.output
    (new_draft,) = server.drafts
    assert server.drafts[new_draft]["parent"]["id"] == draft_id


# ---- what goes wrong ---------------------------------------------------------------------------


def test_a_wrong_token_is_refused_with_what_to_do(edition, server, monkeypatch):
    monkeypatch.setenv("INVENIO_TOKEN", "expired")
    result = deposit(edition, server.url, "--publish")
    assert result.exit_code == 2
    assert ".zip:1:1: error: 127.0.0.1" in result.output and "answered 401" in result.output
    assert "[deposit-auth]" in result.output and "set INVENIO_TOKEN to it" in result.output
    assert not server.records and not server.drafts


@pytest.mark.parametrize("method, path, status, rule, code, hint", [
    ("POST", r"^/api/records$", 403, "deposit-auth", 2, "scopes deposit:write and deposit:actions"),
    ("PUT", r"\.zip/content$", 413, "deposit-upload", 2, "larger than"),
    ("POST", r"/actions/publish$", 500, "deposit-server", 2, "the repository failed, not your edition"),
    ("POST", r"/versions$", 502, "deposit-server", 2, "run the same command again"),
    ("POST", r"^/api/records$", 404, "deposit-server", 2, "check that --to names an InvenioRDM instance"),
])
def test_server_errors_become_located_messages(edition, server, monkeypatch, method, path, status, rule, code, hint):
    if path == r"/versions$":  # a published record first, and a changed package, so the next deposit makes a version
        assert deposit(edition, server.url, "--publish").exit_code == 0
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    published_before = len(server.records)
    server.fail(method, path, status)
    result = deposit(edition, server.url, "--publish")
    assert result.exit_code == code, result.output
    assert f"answered {status}" in result.output and f"[{rule}]" in result.output and hint in result.output
    assert "output/deposit/ccp-leadership-meetings-0.1.0" in result.output  # located at the package file
    assert len(server.records) == published_before  # nothing (more) was published
    again = deposit(edition, server.url, "--publish")  # the failure passed: the same command finishes the job
    assert again.exit_code == 0, again.output
    assert len(server.records) == published_before + 1 and len(server.parents) == 1


def test_rejected_metadata_is_located_where_it_was_written(edition, server):
    server.fail("POST", r"^/api/records$", 422, fields=[
        {"field": "metadata.creators.0.person_or_org.family_name", "messages": ["Missing data for required field."]}])
    result = deposit(edition, server.url, "--publish")
    assert result.exit_code == 1, result.output
    datacite = "output/deposit/ccp-leadership-meetings-0.1.0/data/datacite.xml"
    assert f"{datacite}:7:1: error: 127.0.0.1" in result.output
    assert "rejected metadata.creators.0.person_or_org.family_name: Missing data for required field." in result.output
    assert "[deposit-rejected]" in result.output and "titleStmt/author" in result.output
    assert not server.records and not server.drafts


def test_publish_refused_for_missing_fields_names_each_field(edition, server):
    server.fail("POST", r"/actions/publish$", 400, fields=[
        {"field": "metadata.publisher", "messages": ["Missing data for required field."]},
        {"field": "metadata.rights.0.id", "messages": {"id": ["Unknown licence."]}}])
    result = deposit(edition, server.url, "--publish")
    assert result.exit_code == 1
    assert "datacite.xml:15:1: error:" in result.output and "publicationStmt/publisher" in result.output
    assert "rejected metadata.rights.0.id: id: Unknown licence." in result.output
    assert not server.records and len(server.drafts) == 1


def test_a_draft_saved_with_errors_is_neither_filled_nor_published(edition, server, monkeypatch):
    # a repository may need more than the pre-flight asks for: a draft saved with `errors`
    mapping = metadata_module._Mapper.metadata
    monkeypatch.setattr(metadata_module._Mapper, "metadata",
                        lambda self: {k: v for k, v in mapping(self).items() if k != "publisher"})
    result = deposit(edition, server.url, "--publish")
    assert result.exit_code == 1, result.output
    assert "rejected metadata.publisher: Missing data for required field." in result.output
    assert "[deposit-rejected]" in result.output and "publicationStmt/publisher" in result.output
    (draft_id,) = server.drafts
    assert server.files[draft_id] == {} and not server.records
    assert f"the unpublished draft: {server.url}/uploads/{draft_id}" in result.output


def test_an_upload_that_breaks_off_is_resumed_and_never_published_half(edition, server):
    server.fail("PUT", r"\.zip/content$", "drop")
    result = deposit(edition, server.url, "--publish")
    assert result.exit_code == 2, result.output
    assert "[deposit-upload]" in result.output and "the connection broke off during the upload" in result.output
    assert not server.records
    (draft_id,) = server.drafts
    zip_path, _ = package(edition)
    assert server.files[draft_id][zip_path.name]["status"] == "pending"
    assert f"the unpublished draft: {server.url}/uploads/{draft_id}" in result.output
    again = deposit(edition, server.url, "--publish")
    assert again.exit_code == 0, again.output
    assert f"{zip_path.name}: removed from the draft (not complete)" in again.output
    assert list(server.records) == [draft_id]  # the same record, not a second one
    assert sorted(server.files[draft_id]) == sorted([zip_path.name, zip_path.stem + ".pdf"])


def test_a_file_stored_with_another_checksum_is_removed_and_not_published(edition, server):
    server.fail("PUT", r"\.zip/content$", "corrupt")
    result = deposit(edition, server.url, "--publish")
    assert result.exit_code == 2
    zip_path, _ = package(edition)
    assert f"stored {zip_path.name} with checksum md5:" in result.output and "[deposit-upload]" in result.output
    (draft_id,) = server.drafts
    assert zip_path.name not in server.files[draft_id] and not server.records


def test_an_unreachable_server_is_an_environment_error(edition, server):
    url = server.url
    server.close()
    result = deposit(edition, url)
    assert result.exit_code == 2
    assert "[deposit-server]" in result.output and f"that {url} is reachable" in result.output


def test_a_broken_state_file_is_reported_where_it_breaks(edition, server):
    (edition.parent / "deposit-records.json").write_text('{"targets": {\n  "x": [1,\n}', encoding="utf-8")
    result = deposit(edition, server.url)
    assert result.exit_code == 2
    assert "deposit-records.json:3:1: error: the deposit state cannot be read: not valid JSON" in result.output
    assert "[deposit-state]" in result.output and not server.drafts


def test_a_state_file_that_cannot_be_written_stops_before_anything_is_uploaded(edition, server):
    (edition.parent / "deposit-records.json").mkdir()  # in the way of the file (root may write anywhere else)
    result = deposit(edition, server.url, "--publish")
    assert result.exit_code == 2
    (draft_id,) = server.drafts
    assert "error: the deposit state cannot be written" in result.output
    assert f"the record is {draft_id}: write its id into the file by hand" in result.output
    assert server.files[draft_id] == {} and not server.records


# ---- tokens and targets ------------------------------------------------------------------------


def test_a_token_in_the_config_file_is_refused(edition):
    edition.write_text(edition.read_text() + '\n[deposit]\nzenodo-token = "abc"\n', encoding="utf-8")
    result = deposit(edition, "zenodo", "--dry-run")
    assert result.exit_code == 2
    assert "edition.toml:9:1: error: [deposit] zenodo-token: a token or password must never be written" in result.output
    assert "unknown key" not in result.output


@pytest.mark.parametrize("args, message", [
    (["--to", "http://repository.example.org"], "the token would travel unencrypted"),
    (["--to", "https://example.org", "--sandbox"], "--sandbox goes with --to zenodo only"),
    (["--to", "ftp://x"], "expected zenodo or the address of an InvenioRDM instance"),
    (["--publish"], "go with --to zenodo|URL"),
])
def test_bad_targets_are_usage_errors(edition, args, message):
    result = invoke(["deposit", "--config", str(edition), *args], cwd=edition.parent)
    assert result.exit_code == 2 and message in result.output
