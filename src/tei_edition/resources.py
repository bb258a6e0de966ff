"""Where the pipeline's own data lies: stylesheets, schema, assets, `edition new` templates.

`xslt/` and `schema/` stay at the top of the repository (the project's agreed layout); the wheel
carries them as the packages `tei_edition.xslt` and `tei_edition.schema` (a `package-dir` mapping
in pyproject.toml), so a source checkout, an editable install and a wheel all find them here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _data_folder(package: str, in_checkout: str) -> Path:
    """The folder of a data package: installed beside the code, or at the top of a checkout."""
    spec = importlib.util.find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))).resolve()
    return PACKAGE.parents[1] / in_checkout


XSLT_DIR = _data_folder("tei_edition.xslt", "xslt")
SCHEMA_DIR = _data_folder("tei_edition.schema", "schema")
ASSETS_DIR = PACKAGE / "assets"
TEMPLATES_DIR = PACKAGE / "templates"
# The image viewer (OpenSeadragon's built files): setup.sh installs it with npm and copies it
# here, so it travels in the wheel as package data (the folder's README says so).
VIEWER_DIR = PACKAGE / "viewer"
