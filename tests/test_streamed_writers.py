"""The cache's JSON records and the published-file list are written piece by piece (to keep the
main process's peak down at 10,000 documents); the files must hold exactly what one
`json.dumps` / one `"\\n".join` gave before."""

from __future__ import annotations

import io
import json

import pytest

from tei_edition.cache import store
from tei_edition.runtime import site_update
from tei_edition.runtime.listing import Listing

SAMPLES = [
    {},
    [],
    {"b": 1, "a": [1, 2.5, None, True, "x"], "é": {"z": {}, "y": [], "ß\n\"": "ünï \u2028 \ud7ff"}},
    {"@datacite": ["k", "<a>\u00e9</a>"], "/x/2.xml": ["k2", None, ""], "/x/10.xml": ["k3", "t", "2020-01-01"]},
    {"nested": {"deeper": {"deepest": {"b": 1e300, "a": -0.0}}}},
    {"10": 1, "9": 2, "": 3},
    "just a string",
    {"mixed": {2: "b", 1: "a"}},  # non-string keys: written whole, as json sorts and turns them
    {"float keys": {1.5: "x", 0.25: "y"}, "bools": {True: 1}},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_write_json_gives_the_characters_json_dumps_gives(data):
    out = io.StringIO()
    store.write_json(out, data)
    assert out.getvalue() == json.dumps(data, ensure_ascii=False, sort_keys=True, check_circular=False)


def test_a_saved_store_holds_the_bytes_json_dumps_gave(tmp_path):
    data = {f"/corpus/tei/{n}.xml": [f"key{n}", f"<dc>Ö {n}</dc>", ""] for n in range(300)}
    data["@datacite"] = ["k", "<resource>" + "ä" * 10_000 + "</resource>"]
    store.Store(tmp_path, "oai").save(data)
    expected = json.dumps(data, ensure_ascii=False, sort_keys=True, check_circular=False).encode("utf-8")
    assert (tmp_path / ".cache" / "oai.json").read_bytes() == expected
    assert store.Store(tmp_path, "oai").data == data


@pytest.mark.parametrize("count", [0, 1, 3, site_update.LISTING_BATCH, 2 * site_update.LISTING_BATCH + 7])
def test_the_file_list_is_the_names_joined(tmp_path, count):
    names = Listing.of([f"dts/{n % 5}/ë{n}.json" for n in range(count)] + (["index.html"] if count else []))
    path = tmp_path / "html.files"
    site_update._write_listing(path, names)
    assert path.read_bytes() == "\n".join(names).encode("utf-8")
    assert site_update._read_listing(path) == names
