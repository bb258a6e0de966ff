"""The bag: BagIt 1.0 made with the `bagit` library, a reproducible zip, and the checks.

The library writes BagIt 0.97, lists tag files in directory order and does not notice a
payload file that no manifest lists. So after it has made the bag we declare version 1.0,
regenerate the tag manifests in a fixed order, and check completeness ourselves.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import bagit

from tei_edition import __version__
from tei_edition.diagnostics import Diagnostic

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
ALGORITHMS = ("sha256", "sha512")
ZIP_EPOCH_MIN = 315532800  # 1980-01-01: zip cannot store earlier times


def make_bag(bag_dir: Path, info: dict[str, list[str]], bagging_date: str, epoch: int) -> None:
    """Turn `bag_dir` (holding the payload) into a BagIt 1.0 bag with fixed dates."""
    info = dict(info)
    info["Bagging-Date"] = bagging_date
    info["Bag-Software-Agent"] = f"tei-edition {__version__}"
    bagit.make_bag(str(bag_dir), bag_info=info, checksums=list(ALGORITHMS))
    (bag_dir / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    bagit.Bag(str(bag_dir)).save()  # rewrites bag-info.txt and the tag manifests over the new bagit.txt
    for manifest in bag_dir.glob("tagmanifest-*.txt"):
        lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
        manifest.write_text("".join(sorted(lines, key=lambda line: line.split(" ", 1)[1])), encoding="utf-8")
    for path in [bag_dir, *bag_dir.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.utime(path, (epoch, epoch))


def files_of(folder: Path) -> list[str]:
    """Every file below `folder`, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def write_zip(bag_dir: Path, zip_path: Path, epoch: int) -> None:
    """The bag as a zip that is byte-identical for the same bag: sorted entries under one top
    folder, one fixed timestamp, fixed permissions, fixed compression."""
    stamp = time.gmtime(max(epoch, ZIP_EPOCH_MIN))[:6]
    with zipfile.ZipFile(zip_path, "w") as archive:
        for rel in files_of(bag_dir):
            entry = zipfile.ZipInfo(f"{bag_dir.name}/{rel}", date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, so the permissions below mean the same everywhere
            entry.external_attr = 0o100644 << 16
            archive.writestr(entry, (bag_dir / rel).read_bytes(), compresslevel=9)


# -- checks -----------------------------------------------------------------------------------------

def _problem(where: str, message: str, rule: str, hint: str, line: int = 1) -> Diagnostic:
    return Diagnostic(where, line, 1, "error", message, rule, hint)


def _digest(path: Path, algorithm: str) -> str:
    h = hashlib.new(algorithm)
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_manifest(path: Path) -> list[tuple[int, str, str]]:
    """(line number, digest, path) of each entry; paths decoded as RFC 8493 2.1.3 says."""
    rows = []
    # errors="replace": a damaged manifest must be reported, not crash the check
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if line.strip():
            digest, _, name = line.partition(" ")
            rows.append((number, digest.lower(), unquote(name.lstrip(" "))))
    return rows


def _safe(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts


def check_bag(bag_dir: Path, label: str) -> list[Diagnostic]:
    """Everything wrong with the bag: structure, version, and every missing, extra or altered
    file, payload and tag files alike, with each file named. `label` names the bag in messages."""
    problems: list[Diagnostic] = []
    where = lambda rel: f"{label}/{rel}"  # noqa: E731
    declaration = bag_dir / "bagit.txt"
    if not declaration.is_file():
        return [_problem(where("bagit.txt"), "missing file bagit.txt: this is not a bag", "bag-missing",
                         "point --verify at the bag's top folder (the one holding bagit.txt and data/) or its .zip")]
    if "BagIt-Version: 1.0" not in declaration.read_text(encoding="utf-8", errors="replace"):
        problems.append(_problem(where("bagit.txt"), "bagit.txt does not declare BagIt-Version: 1.0", "bag-version",
                                 "rebuild the package with `edition deposit`"))
    if not (bag_dir / "data").is_dir():
        problems.append(_problem(where("data"), "missing folder data/ (the payload)", "bag-missing",
                                 "rebuild the package with `edition deposit`"))

    payload = {f"data/{rel}" for rel in files_of(bag_dir / "data")} if (bag_dir / "data").is_dir() else set()
    tag_files = {rel for rel in files_of(bag_dir) if not rel.startswith("data/")}
    manifests = sorted(rel for rel in tag_files if rel.startswith("manifest-"))
    tagmanifests = sorted(rel for rel in tag_files if rel.startswith("tagmanifest-"))
    if not manifests:
        problems.append(_problem(where("manifest-sha512.txt"), "the bag has no payload manifest", "bag-missing",
                                 "rebuild the package with `edition deposit`"))

    # file → the manifests (with line) that list it missing / disagree about it / lack it, so
    # each damaged file is reported once however many manifests notice it
    missing: dict[str, list[tuple[str, int]]] = {}
    altered: dict[str, list[str]] = {}
    extra: dict[str, list[str]] = {}
    confirmed: set[str] = set()  # files whose checksum at least one manifest confirms
    disputed: dict[str, list[str]] = {}  # manifest → its lines that disagree with a file

    def check_manifest(manifest: str, expected: set[str]) -> None:
        algorithm = manifest.split("-", 1)[1].removesuffix(".txt")
        if algorithm not in hashlib.algorithms_available:
            problems.append(_problem(where(manifest), f"unknown checksum algorithm {algorithm!r}", "bag-manifest",
                                     "use sha256 or sha512 manifests"))
            return
        listed = set()
        for line, digest, rel in _read_manifest(bag_dir / manifest):
            listed.add(rel)
            if not _safe(rel):
                problems.append(_problem(where(manifest), f"entry {rel!r} points outside the bag", "bag-manifest",
                                         "remove the entry", line))
            elif not (bag_dir / rel).is_file():
                missing.setdefault(rel, []).append((manifest, line))
            elif _digest(bag_dir / rel, algorithm) != digest:
                altered.setdefault(rel, []).append(f"{manifest} line {line}")
                disputed.setdefault(manifest, []).append(f"line {line} ({rel})")
            else:
                confirmed.add(rel)
        for rel in sorted(expected - listed):
            extra.setdefault(rel, []).append(manifest)

    for manifest in manifests:
        check_manifest(manifest, payload)
    for manifest in tagmanifests:
        check_manifest(manifest, {t for t in tag_files if not t.startswith("tagmanifest-")})
    # Every payload manifest has its tag manifest (this pipeline writes both), so a deleted
    # tag manifest is noticed although no manifest lists it.
    for manifest in manifests:
        expected = "tag" + manifest
        if expected not in tag_files:
            missing.setdefault(expected, []).append((manifest, 1))
    # A file that one manifest confirms and another disputes is intact: the disputing manifest
    # is what was altered (no change to a file keeps one checksum and breaks the other).
    for rel in [rel for rel in altered if rel in confirmed]:
        del altered[rel]
    wrong_lines = {manifest: lines for manifest, lines in disputed.items()
                   if all(entry.split("(", 1)[1].rstrip(")") in confirmed for entry in lines)}
    for rel, places in sorted(missing.items()):
        manifest, line = places[0]
        listed = ("expected beside " if rel.startswith("tagmanifest-") and (bag_dir / manifest).is_file()
                  and rel == "tag" + manifest else "listed in ")
        problems.append(_problem(where(manifest), f"missing file {rel}: {listed}"
                                 f"{', '.join(m for m, _ in places)} but not in the bag", "bag-missing",
                                 "restore the file from the original package", line))
    for rel in sorted(set(altered) | set(wrong_lines)):
        reasons = []
        if rel in altered:
            reasons.append(f"its checksum differs from {', '.join(altered[rel])}")
        if rel in wrong_lines:
            reasons.append(f"its {', '.join(wrong_lines[rel])} disagree with files the other manifests confirm")
        problems.append(_problem(where(rel), f"altered file {rel}: {'; '.join(reasons)}", "bag-altered",
                                 "restore the file from the original package"))
    for rel, places in sorted(extra.items()):
        problems.append(_problem(where(rel), f"extra file {rel}: not listed in {', '.join(places)}", "bag-extra",
                                 "remove the file, or rebuild the package with `edition deposit`"))
    problems += _check_oxum(bag_dir, label, payload)
    return problems


def _check_oxum(bag_dir: Path, label: str, payload: set[str]) -> list[Diagnostic]:
    info = bag_dir / "bag-info.txt"
    if not info.is_file():
        return [_problem(f"{label}/bag-info.txt", "missing file bag-info.txt", "bag-missing",
                         "rebuild the package with `edition deposit`")]
    for number, line in enumerate(info.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if line.startswith("Payload-Oxum:"):
            actual = f"{sum((bag_dir / p).stat().st_size for p in payload)}.{len(payload)}"
            stated = line.split(":", 1)[1].strip()
            if stated != actual:
                return [_problem(f"{label}/bag-info.txt", f"Payload-Oxum {stated} does not match the payload "
                                 f"({actual}: bytes.files)", "bag-oxum", "a payload file was added, removed or "
                                 "changed; see the other messages", number)]
    return []


def check_with_library(bag_dir: Path, label: str) -> list[Diagnostic]:
    """The bagit library's own validation (structure, manifests, checksums)."""
    try:
        bagit.Bag(str(bag_dir)).validate()
    except bagit.BagValidationError as exc:
        details = "; ".join(str(d) for d in exc.details) or str(exc)
        return [_problem(f"{label}/bagit.txt", f"the bagit library rejects the bag: {details}", "bag-invalid",
                         "rebuild the package with `edition deposit`")]
    except (bagit.BagError, UnicodeDecodeError, ValueError, OSError) as exc:
        return [_problem(f"{label}/bagit.txt", f"the bagit library rejects the bag: {exc}", "bag-invalid",
                         "rebuild the package with `edition deposit`")]
    return []


def verify(path: Path, library: bool = True) -> list[Diagnostic]:
    """Check a bag folder or its zip; the library runs (when asked) only when our own check is clean."""
    path = Path(path)
    if path.is_dir():
        problems = check_bag(path, str(path))
        return problems or (check_with_library(path, str(path)) if library else [])
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
            names = archive.namelist()
            tops = {PurePosixPath(n).parts[0] for n in names if PurePosixPath(n).parts}
            unsafe = [n for n in names if not _safe(n)]
            if unsafe or len(tops) != 1:
                return [_problem(str(path), "not a deposit zip: " + (f"entry {unsafe[0]!r} points outside the archive"
                                 if unsafe else "expected exactly one top folder (the bag)"), "bag-zip",
                                 "verify the .zip written by `edition deposit`")]
            problems = []
            for info in archive.infolist():
                try:
                    data = archive.read(info)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:  # damaged data or CRC: the zip itself
                    problems.append(_problem(f"{path}/{info.filename}", f"altered file {info.filename}: {exc}",
                                             "bag-altered", "the zip is damaged; take a fresh copy"))
                    continue
                if not info.is_dir():
                    target = Path(tmp) / info.filename
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            bag_dir = Path(tmp) / tops.pop()
            label = f"{path}/{bag_dir.name}"
            problems += check_bag(bag_dir, label)
            return problems or (check_with_library(bag_dir, label) if library else [])
    except zipfile.BadZipFile as exc:
        return [_problem(str(path), f"not a readable zip file: {exc}", "bag-zip",
                         "pass a bag folder or the .zip written by `edition deposit`")]
