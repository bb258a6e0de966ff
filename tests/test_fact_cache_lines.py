"""The index cache is read one file's line at a time (cache/facts.py): a file's facts are parsed
when asked for and come with their pointer rows packed; a damaged line costs that file only."""

from __future__ import annotations

import json
from types import SimpleNamespace

from tei_edition.cache.facts import FactCache

FACTS = {"id": "a", "title": "A", "prefixes": [], "prefix_defs": [], "ids": [["p1", 2, "person", 1]],
         "pointers": [[3, "persName", 1, "ref", "#p1", None, False, [], None, False]], "header_missing": {},
         "header_at": [1, 1], "xml_models": [], "root_line": 1, "listing": {"kind": "ä"}, "meetings": [], "source": None}


def test_each_file_is_read_from_its_own_line(tmp_path):
    docs = [SimpleNamespace(path=tmp_path / f"{name}.xml", role="source") for name in ("a", "b", "c")]
    for doc in docs:
        doc.path.write_text(f"<TEI>{doc.path.name}</TEI>", encoding="utf-8")
    cache = FactCache(tmp_path)
    assert not any(cache.has(d.path, d.role) for d in docs)  # no cache yet
    lines = [json.dumps(str(d.path), ensure_ascii=False) + ": " + json.dumps(
        {"key": cache.key(d.path, d.role), "facts": FACTS}, ensure_ascii=False) for d in docs]
    lines[1] = lines[1][:-40]  # b's line cut short
    lines[2] = lines[2].replace(cache.key(docs[2].path, "source"), "0" * 64)  # c's from other bytes
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "index.json").write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")

    cache = FactCache(tmp_path)
    assert [cache.has(d.path, d.role) for d in docs] == [True, True, False]
    found = cache.get(docs[0])
    assert isinstance(found.pointers, bytes)  # packed at once
    assert found.pointer_rows() == FACTS["pointers"] and found.listing == {"kind": "ä"}
    assert cache.get(docs[1]) is None  # damaged: parsed again, as a missing one
    assert cache.get(docs[2]) is None
