"""InvenioRDM's record JSON schema, from the pinned `invenio-rdm-records` wheel on PyPI (test data).

The product does not ship the schema; the tests check every payload against it. The wheels are
downloaded once by pip (pinned versions, checked against their SHA-256), unpacked into a cache
folder, and their `local://` schemas registered the way Invenio registers them (the path below
each package's jsonschemas/ folder). The record schema's references lead into two more Invenio
packages (shared definitions, the review request), which are fetched the same way, so every
reference resolves to the published text; nothing is stubbed. Without the network the download
fails loudly: run `./setup.sh --test` (which fetches them) where PyPI is reachable.

    python tests/invenio_schema.py    # fetch into the cache (setup.sh --test does this)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

RECORD = "local://records/record-v6.0.0.json"  # the newest record schema of invenio-rdm-records 36.0.0
WHEELS = {  # package==version: sha256 of its wheel on PyPI
    "invenio-rdm-records==36.0.0": "f6679fd76f2a2e170cf04c3e097433b26abba8ed4ecaee0b1c886c989229b52b",
    "invenio-records-resources==11.1.2": "9d2bed703b1fa8393f9224cfd1c8bf775860bab4659df174b66363da4f2371bb",
    "invenio-requests==15.2.2": "363adf87f5824a4e22adc2bd0a24a1e07fd673aad1d580592e33f708bd28d2cf",
}
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tei-edition-tests" / "invenio-schemas-36"


def fetch() -> Path:
    """The folder of unpacked jsonschemas (downloaded on first use)."""
    done = CACHE / "complete"
    if done.is_file():
        return CACHE
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        requirements.write_text("".join(f"{pin} --hash=sha256:{sha}\n" for pin, sha in WHEELS.items()))
        result = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary",
                                 ":all:", "--require-hashes", "-r", str(requirements), "-d", tmp],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("cannot fetch InvenioRDM's record schema from PyPI (pip download "
                               f"{' '.join(WHEELS)}): {result.stderr.strip()[-800:]}")
        for wheel in Path(tmp).glob("*.whl"):
            with zipfile.ZipFile(wheel) as archive:
                for name in archive.namelist():
                    if "/jsonschemas/" in name and name.endswith(".json"):
                        target = CACHE / name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(archive.read(name))
    done.write_text("\n".join(WHEELS) + "\n")
    return CACHE


def registry(folder: Path) -> Registry:
    """Every schema as `local://<path below jsonschemas/>`, as Invenio's schema registry names them."""
    resources = []
    for path in folder.rglob("*.json"):
        uri = "local://" + path.as_posix().split("/jsonschemas/", 1)[1]
        # Draft 7 for all: the shared definitions have a property named "$schema", which is no dialect
        resources.append((uri, DRAFT7.create_resource(json.loads(path.read_text()))))
    return Registry().with_resources(resources)


def record_validator() -> Draft7Validator:
    reg = registry(fetch())
    return Draft7Validator(reg.contents(RECORD), registry=reg)


def unresolved_references(validator: Draft7Validator) -> list[str]:
    """Every `$ref` reachable from the record schema that does not resolve (none: nothing is stubbed)."""
    broken, queue, seen = [], [RECORD], {RECORD}
    while queue:
        document = queue.pop()
        for ref in set(_refs(validator._resolver.lookup(document).contents)):
            uri = ref if "://" in ref else document + ref
            try:
                validator._resolver.lookup(uri)
            except Exception as exc:  # noqa: BLE001 (any failure to resolve is what we report)
                broken.append(f"{document}: {ref}: {exc}")
                continue
            target = uri.split("#")[0]
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return broken


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


if __name__ == "__main__":
    print(f"InvenioRDM record schemas in {fetch()}")
