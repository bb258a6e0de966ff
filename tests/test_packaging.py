"""The wheel: built from this checkout, installed into a fresh virtual environment, and used there
as a user would, with no source tree behind it.

`python -m pip wheel --no-deps` builds it; `python -m venv --system-site-packages` makes the
environment. Its dependencies come from the environment running the tests (its site-packages are
named in a .pth file of the new venv, for when the tests run in a venv themselves), so nothing is
downloaded; the package itself must be the installed wheel, not this checkout (PYTHONPATH is
dropped and `tei_edition.__file__` is checked). With the venv's `edition` command: `edition new`
+ `edition build`, and `edition validate`, `build` and `deposit` on a copy of the bundled edition.
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from helpers import EPOCH, REPO

BIN = "Scripts" if os.name == "nt" else "bin"


def environment() -> dict[str, str]:
    """The tests' environment without what would make this checkout importable."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """The wheel, and a fresh venv with it installed: {"wheel": path, "venv": path}."""
    folder = tmp_path_factory.mktemp("packaging")
    dist = folder / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
                           capture_output=True, text=True, env=environment())
    assert built.returncode == 0, built.stdout + built.stderr
    wheels = sorted(dist.glob("tei_edition-*.whl"))
    assert len(wheels) == 1, wheels

    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, env=environment())
    python = venv / BIN / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True, env=environment()).stdout.strip()
    # the dependencies: the site-packages of the environment running the tests (a .pth names
    # folders only; the .pth files inside them, such as an editable install's, are not run)
    ours = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    Path(site, "test-environment.pth").write_text("".join(f"{p}\n" for p in ours), encoding="utf-8")
    pip = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheels[0])],
                         capture_output=True, text=True, env=environment())
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return {"wheel": wheels[0], "venv": venv, "python": python}


def edition(installed: dict, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The venv's own `edition` command (its console script), run in `cwd`."""
    return subprocess.run([str(installed["venv"] / BIN / "edition"), *args], cwd=cwd, capture_output=True,
                          text=True, env=environment(), timeout=900)


def test_the_venv_imports_the_installed_wheel_not_this_checkout(installed):
    where = subprocess.run([str(installed["python"]), "-c", "import tei_edition, lxml, saxonche; print(tei_edition.__file__)"],
                           capture_output=True, text=True, cwd=installed["venv"], env=environment())
    assert where.returncode == 0, where.stderr
    location = Path(where.stdout.strip()).resolve()
    assert location.is_relative_to(installed["venv"].resolve()), location
    assert not location.is_relative_to(REPO.resolve())


def test_a_new_edition_builds_with_the_installed_command(installed, tmp_path):
    result = edition(installed, "new", "project", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    project = tmp_path / "project"
    result = edition(installed, "build", "--jobs", "1", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "output" / "html" / "index.html").is_file()
    assert (project / "output" / "pdf" / "volume.pdf").is_file()


def test_the_bundled_edition_validates_builds_and_deposits_from_the_wheel(installed, tmp_path):
    root = tmp_path / "edition"
    root.mkdir()
    for name in ("tei", "schema"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    for args in (("validate",), ("build", "--jobs", "1"), ("deposit",)):
        result = edition(installed, *args, cwd=root)
        assert result.returncode == 0, f"edition {' '.join(args)}:\n{result.stdout}{result.stderr}"
    output = root / "output"
    assert (output / "html" / "documents" / "meeting-1951-09-09-mutual-aid.html").is_file()
    assert (output / "html" / "pagefind" / "pagefind-ui.js").is_file()
    assert (output / "pdf" / "volume.pdf").is_file() and (output / "pdf" / "volume-pdfa.pdf").is_file()
    bags = [p for p in (output / "deposit").iterdir() if p.is_dir()]
    assert len(bags) == 1 and (bags[0] / "data" / "datacite.xml").is_file()
    assert (bags[0].parent / f"{bags[0].name}.zip").is_file()


def test_the_wheel_carries_the_stylesheets_schemas_assets_and_templates(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    expected = {f"tei_edition/xslt/{p.relative_to(REPO / 'xslt').as_posix()}"
                for p in (REPO / "xslt").rglob("*") if p.suffix in (".xsl", ".css")}
    expected |= {f"tei_edition/schema/{p.name}" for p in (REPO / "schema").glob("*") if p.suffix in (".xsd", ".sch")}
    package = REPO / "src" / "tei_edition"
    expected |= {f"tei_edition/{p.relative_to(package).as_posix()}"
                 for folder in ("assets", "templates") for p in (package / folder).rglob("*") if p.is_file()}
    assert len(expected) > 20
    assert sorted(expected - names) == []


def test_pyproject_names_every_package():
    """The explicit `packages` list names every folder under src/tei_edition (code and data: setuptools
    treats any folder as a package) and the data packages xslt/ and schema/ at the top of the
    repository, with their folders."""
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]

    def folders(top: Path, name: str) -> set[str]:
        return {".".join((name, *p.relative_to(top).parts)).rstrip(".") for p in [top, *top.rglob("*")]
                if p.is_dir() and "__pycache__" not in p.parts}

    found = folders(REPO / "src" / "tei_edition", "tei_edition")
    assert {"tei_edition", "tei_edition.writers.pdf", "tei_edition.assets"} <= found  # the scan sees them
    expected = found | folders(REPO / "xslt", "tei_edition.xslt") | folders(REPO / "schema", "tei_edition.schema")
    assert sorted(setuptools["packages"]) == sorted(expected)
    assert setuptools["package-dir"]["tei_edition.xslt"] == "xslt" and (REPO / "xslt").is_dir()
    assert setuptools["package-dir"]["tei_edition.schema"] == "schema" and (REPO / "schema").is_dir()


def test_every_library_the_package_imports_is_a_dependency_of_the_package():
    """A module of src/ that imports a third-party library (at the top or inside a function) needs
    it among [project] dependencies: the wheel's venv above sees the tests' own packages, so a
    library listed only among the test extras would pass there and crash `edition build` on a
    fresh machine. Imports guarded by ImportError (distributed, for --executor dask) may come from
    an extra."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}

    required = names(project["dependencies"])
    optional = set().union(*(names(group) for group in project["optional-dependencies"].values()))
    providers = importlib.metadata.packages_distributions()
    imported: dict[str, set[str]] = {}  # top-level module → files importing it
    guarded: set[str] = set()
    for path in (REPO / "src" / "tei_edition").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(isinstance(h.type, ast.Name) and h.type.id == "ImportError"
                                                 for h in node.handlers):
                guarded |= {n.names[0].name.split(".")[0] if isinstance(n, ast.Import) else (n.module or "").split(".")[0]
                            for n in ast.walk(ast.Module(body=node.body, type_ignores=[]))
                            if isinstance(n, (ast.Import, ast.ImportFrom))}
            if isinstance(node, ast.Import):
                tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                imported.setdefault(top, set()).add(path.name)
    third_party = {top for top in imported if top in providers and top not in sys.stdlib_module_names} - {"tei_edition"}
    assert {"lxml", "saxonche", "click", "pypdf"} <= third_party  # the scan sees them
    missing = {}
    for top in sorted(third_party):
        dists = {d.lower().replace("_", "-") for d in providers[top]}
        if dists & required or (top in guarded and dists & optional):
            continue
        missing[top] = sorted(imported[top])
    assert missing == {}, f"imported by the package but not among [project] dependencies: {missing}"
