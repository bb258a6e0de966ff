"""`edition serve`: a saved change reaches the browser; a broken save keeps the last good pages.

Runs the real preview (HTTP server and file watcher threads) on a free port over a project made
by `edition new`, and checks with real HTTP requests. Every wait is bounded.
"""

from __future__ import annotations

import gzip
import json
import urllib.request
from pathlib import Path

import pytest

from tei_edition.config import load_config
from tei_edition.commands.scaffold import new_command
from tei_edition.commands.serve import Preview, keeps_config, wait_for

WAIT = 60  # seconds: an upper bound, not a speed claim; a rebuild of this project takes about 1 s


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture()
def preview(tmp_path):
    project = tmp_path / "preview-test"
    assert new_command(project, log=lambda line: None) == 0
    log: list[str] = []
    running = Preview(load_config(project / "edition.toml"), port=0, log=log.append)
    running.start()
    try:
        yield running, project, log
    finally:
        running.stop()


def test_saved_change_is_served_and_broken_save_keeps_last_good_page(preview):
    running, project, log = preview
    assert running.port != 0
    document = next((project / "tei" / "documents").glob("*.xml"))
    index = get(running.url)
    assert "Example meeting" in index
    page = running.url + next(p for p in (project / "output" / "html" / "documents").glob("*.html")
                              ).relative_to(project / "output" / "html").as_posix()
    assert "An example agenda item" in get(page)

    # an editor saves a change
    text = document.read_text(encoding="utf-8")
    document.write_text(text.replace("An example agenda item", "A changed agenda item"), encoding="utf-8")
    assert wait_for(lambda: "A changed agenda item" in get(page), WAIT), "\n".join(log)
    # one log line for the rebuild, naming the file (written just after the pages)
    assert wait_for(lambda: any("rebuilt html" in line and f"{document.name} changed" in line for line in log), WAIT), log

    # the pages go out with the last search index, then the changed shard is re-indexed
    assert "pagefind" in get(running.url + "pagefind/pagefind.js")
    assert wait_for(lambda: any("search index updated" in line for line in log), WAIT), log
    assert "A changed agenda item" in searchable_text(project / "output" / "html" / "pagefind")

    # then saves the file broken: the error is logged, the last good page stays
    before = running.rebuilds
    document.write_text(text.replace("</TEI>", ""), encoding="utf-8")
    assert wait_for(lambda: running.rebuilds > before and any("rebuild failed" in ln for ln in log), WAIT), log
    errors = [ln for ln in log if ": error: " in ln]
    assert errors and f"{document.name}:" in errors[0] and "[xml-wellformed]" in errors[0]
    assert not any(": warning: " in ln for ln in log), "a failed rebuild shows the errors, not the warnings"
    assert "A changed agenda item" in get(page)

    # and fixes it again
    document.write_text(text, encoding="utf-8")
    assert wait_for(lambda: "An example agenda item" in get(page), WAIT), "\n".join(log)


def searchable_text(bundle: Path) -> str:
    """The page texts of a Pagefind bundle (its fragments: gzip, a signature, then JSON)."""
    texts = []
    for fragment in bundle.rglob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        texts.append(json.loads(data[data.index(b"{"):])["content"])
    return "\n".join(texts)


def test_port_in_use_is_a_usage_error(preview):
    from click.testing import CliRunner

    from tei_edition.cli import main

    running, project, _ = preview
    result = CliRunner().invoke(main, ["serve", "--config", str(project / "edition.toml"), "--port", str(running.port)])
    assert result.exit_code == 2
    assert f"cannot serve on 127.0.0.1:{running.port}" in result.output


def test_the_config_is_read_again_unless_only_known_documents_changed(tmp_path):
    project = tmp_path / "keep-config"
    assert new_command(project, log=lambda line: None) == 0
    config = load_config(project / "edition.toml")
    document = config.sources[0]
    assert keeps_config(config, [document])
    assert not keeps_config(config, None)  # nothing known of the change
    assert not keeps_config(config, [project / "edition.toml"])
    new = document.with_name("new-document.xml")
    new.write_text(document.read_text(encoding="utf-8"), encoding="utf-8")
    assert not keeps_config(config, [new])  # the patterns now match another file
    document.unlink()
    assert not keeps_config(config, [document])  # and one file less
