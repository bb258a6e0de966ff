"""Shared test fixtures: where the repository and the reference schemas are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "000_daf9fabc9e3a19bb.txt"
FIDELITY = SHARED / "tools" / "fidelity.py"
TEI_ALL = SHARED / "schemas" / "tei-p5-4.12.0" / "tei_all.rng"

# In CI the property tests draw the same examples on every run, so a submission's result does
# not depend on luck; locally they explore new examples each run and report what they find.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """TEI P5 tei_all as RELAX NG, loaded once per test session (it takes seconds)."""
    assert TEI_ALL.is_file(), f"reference schema missing: {TEI_ALL} (the shared/ folder must sit beside the repo)"
    return etree.RelaxNG(etree.parse(str(TEI_ALL)))
