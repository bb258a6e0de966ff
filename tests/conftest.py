"""Shared test fixtures: where the repository and the reference schemas are."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "000_daf9fabc9e3a19bb.txt"
FIDELITY = SHARED / "tools" / "fidelity.py"
TEI_ALL = SHARED / "schemas" / "tei-p5-4.12.0" / "tei_all.rng"


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """TEI P5 tei_all as RELAX NG, loaded once per test session (it takes seconds)."""
    assert TEI_ALL.is_file(), f"reference schema missing: {TEI_ALL} (the shared/ folder must sit beside the repo)"
    return etree.RelaxNG(etree.parse(str(TEI_ALL)))
