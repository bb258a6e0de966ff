"""Put the filter indexes of a Pagefind bundle in a stable order: two builds, identical bundles.

Two builds of the same site must write byte-identical search bundles.

Pagefind 1.x collects each filter's values (Document, Person, ...) in a hash map that is seeded
at random on every run, and writes them in that map's order. The filter file, the meta file that
lists the filters, and pagefind-entry.json (which names the meta file) are named after hashes of
their content, so all three change from run to run. Everything else Pagefind writes is stable
(words are sorted, pages numbered in the order the site's folders list them).

`stabilise(bundle)` rewrites those three files as Pagefind would have written them had its map
been sorted: the same CBOR structures with the values (and the filters) in name order, gzipped
behind Pagefind's `pagefind_dcd` marker, and named the way Pagefind names them (the language,
then the start of the SHA-1 of the content). Page numbers, words and fragments are not touched.
A bundle of another shape (a future Pagefind) is left exactly as written: search still works,
only byte-identity is lost, which tests/test_determinism.py reports.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from pathlib import Path

MARKER = b"pagefind_dcd"  # Pagefind's prefix inside every gzipped index file
FILTERS = 3  # position of the filter list [[name, file hash], ...] in the meta index


class Unexpected(Exception):
    """The bundle is not in the shape this module knows."""


def stabilise(bundle: Path) -> bool:
    """Rewrite the filter indexes of `bundle` in name order; False when the bundle is left as is."""
    try:
        entry_path = bundle / "pagefind-entry.json"
        entry_text = entry_path.read_text(encoding="utf-8")
        entry = json.loads(entry_text)
        if _json(entry) != entry_text:
            raise Unexpected("pagefind-entry.json")
        # every file is read and understood before the first one is changed
        plans = [_plan(bundle, language, about) for language, about in entry["languages"].items()]
    except (Unexpected, OSError, EOFError, zlib.error, KeyError, TypeError, ValueError, IndexError):
        return False
    for remove, write in plans:
        for path in remove:
            path.unlink()
        for path, content in write.items():
            path.write_bytes(gzip.compress(MARKER + content, compresslevel=9, mtime=0))
    entry_path.write_text(_json(entry), encoding="utf-8")
    return True


def _plan(bundle: Path, language: str, about: dict) -> tuple[list[Path], dict[Path, bytes]]:
    """The files to remove and to write for one language; sets the meta file's new name in `about`."""
    meta_path = bundle / f"pagefind.{about['hash']}.pf_meta"
    meta = _read(meta_path)
    filters = meta[FILTERS]
    remove, write = [meta_path], {}
    for item in filters:
        name, old_hash = item
        path = bundle / "filter" / f"{old_hash}.pf_filter"
        index = _read(path)
        if not (isinstance(index, list) and len(index) >= 2 and index[0] == name):
            raise Unexpected(f"filter {name}")
        index[1].sort(key=lambda value: value[0])
        content = encode(index)
        item[1] = _short_name(language, content, taken={p.stem for p in write})
        remove.append(path)
        write[bundle / "filter" / f"{item[1]}.pf_filter"] = content
    filters.sort(key=lambda item: item[0])
    content = encode(meta)
    about["hash"] = f"{language}_{_pagefind_hash(content)[:len(language) + 8]}"
    write[bundle / f"pagefind.{about['hash']}.pf_meta"] = content
    return remove, write


def _short_name(language: str, content: bytes, taken: set[str]) -> str:
    """Pagefind's name for a filter file: language_ and 7 hex digits, more on a collision."""
    digest, length = _pagefind_hash(content), 7
    while f"{language}_{digest[:length]}" in taken and length < len(digest):
        length += 1
    return f"{language}_{digest[:length]}"


def _pagefind_hash(content: bytes) -> str:
    # Pagefind writes each byte of the SHA-1 in hex without a leading zero; names must match its own
    return "".join(f"{byte:x}" for byte in hashlib.sha1(content).digest())


def _json(entry: dict) -> str:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MARKER):
        raise Unexpected(str(path))
    value, end = _decode(data, len(MARKER))
    if end != len(data) or MARKER + encode(value) != data:  # only what we can write back unchanged
        raise Unexpected(str(path))
    return value


# -- the part of CBOR (RFC 8949) that Pagefind's indexes use: integers, text, arrays ----------------

UNSIGNED, NEGATIVE, TEXT, ARRAY = 0, 1, 3, 4


def encode(value) -> bytes:
    if isinstance(value, bool):
        raise Unexpected("a boolean")
    if isinstance(value, int):
        return _head(UNSIGNED, value) if value >= 0 else _head(NEGATIVE, -1 - value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(TEXT, len(data)) + data
    if isinstance(value, list):
        return _head(ARRAY, len(value)) + b"".join(encode(item) for item in value)
    raise Unexpected(type(value).__name__)


def _head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | extra]) + number.to_bytes(size, "big")
    raise Unexpected("an integer beyond 64 bits")


def _decode(data: bytes, at: int):
    major, number, at = _read_head(data, at)
    if major == UNSIGNED:
        return number, at
    if major == NEGATIVE:
        return -1 - number, at
    if major == TEXT:
        return data[at:at + number].decode("utf-8"), at + number
    if major == ARRAY:
        items = []
        for _ in range(number):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise Unexpected(f"CBOR major type {major}")


def _read_head(data: bytes, at: int) -> tuple[int, int, int]:
    major, extra = data[at] >> 5, data[at] & 31
    at += 1
    if extra < 24:
        return major, extra, at
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(extra)
    if size is None:
        raise Unexpected("indefinite or reserved CBOR length")
    return major, int.from_bytes(data[at:at + size], "big"), at + size
