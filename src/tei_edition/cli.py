"""The `edition` command. Thin: it parses options, loads the config and calls the pipeline.

Exit codes: 0 success, 1 problems found in the user's data, 2 usage or environment errors.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from pathlib import Path

import click

from tei_edition import __version__
from tei_edition.config import Config, ConfigError, load_config
from tei_edition.diagnostics import display_path, format_json, format_text
from tei_edition.runtime.gc_pause import gc_paused
from tei_edition.validate import SchemaLoadError, validate

config_option = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                             default="edition.toml", show_default=True, help="The edition's config file.")


def _load(config_path: Path) -> Config:
    try:
        return load_config(config_path)
    except ConfigError as exc:
        for problem in exc.problems:  # path:line:col: error: message [config-...], with a hint
            click.echo(problem, err=True)
        sys.exit(2)


def _schema_failure(exc: Exception):
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


@click.group()
@click.version_option(__version__, prog_name="edition")
def main() -> None:
    """Validate, publish and package TEI-XML editions."""


@main.command("validate")
@config_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("--all", "show_all", is_flag=True,
              help="List every finding in text mode (many findings are otherwise grouped by rule).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes that read and check the documents (default: all cores; from 100 documents on).")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate_command(config_path: Path, fmt: str, strict: bool, show_all: bool, jobs: int | None,
                     paths: tuple[Path, ...]) -> None:
    """Check the edition: well-formedness, schemas, rules, references, dates, headers.

    With PATHs, report only on those files (the whole edition is still loaded, so references
    into the registers resolve). The level of each rule (error, warning, off) is set in
    edition.toml's [validation] table; see docs/validation.md.
    """
    # Everything this command makes is kept until it exits: no collector passes over the index
    # while the diagnostics are formatted (reference counting still frees what is dropped), nor
    # when the interpreter ends (its last collection would scan all of it: 0.2 s at 2,000
    # documents, about 1 s at 10,000; the memory goes back to the system all the same).
    atexit.register(gc.disable)
    with gc_paused(kept=True):
        config = _load(config_path)
        try:
            result = validate(config, extra=list(paths), jobs=jobs or os.cpu_count() or 1)
        except SchemaLoadError as exc:
            _schema_failure(exc)
        diagnostics = result.diagnostics
        if paths:  # by displayed path: a file that failed to parse is in no corpus, but has diagnostics
            shown = {display_path(p) for p in paths}
            diagnostics = [d for d in diagnostics if d.path in shown]
        click.echo(format_json(diagnostics) if fmt == "json" else format_text(diagnostics, show_all=show_all))
        failed = any(d.severity == "error" for d in diagnostics) or (strict and diagnostics)
        sys.exit(1 if failed else 0)


@main.command("build")
@config_option
@click.option("--only", "only", multiple=True, type=click.Choice(["html", "pdf", "search", "deposit"]),
              help="Build only these outputs (repeatable).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--keep-going", is_flag=True,
              help="Build despite errors in the sources: publish the documents without errors, list the others.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where per-document work runs: a local process pool, or a Dask distributed cluster.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="The Dask scheduler (e.g. tcp://10.0.0.5:8786); with --executor dask.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Rebuild everything, ignoring the build cache in the output folder.")
def build_command(config_path: Path, only: tuple[str, ...], jobs: int | None, keep_going: bool, strict: bool,
                  executor: str, scheduler: str | None, no_cache: bool) -> None:
    """Validate the edition and write its outputs into the output folder.

    Only what changed since the last build is rebuilt (the cache is in <output>/.cache).
    """
    from tei_edition.build import build
    from tei_edition.runtime.executor import ExecutorError
    from tei_edition.runtime.lock import OutputBusy

    if executor == "dask" and not scheduler:
        click.echo("error: --executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)", err=True)
        sys.exit(2)
    if scheduler and executor != "dask":
        click.echo("error: --scheduler is used only with --executor dask", err=True)
        sys.exit(2)
    config = _load(config_path)
    try:
        code = build(config, only=only, jobs=jobs or os.cpu_count() or 1, keep_going=keep_going,
                     strict=strict, log=click.echo, executor=executor, scheduler=scheduler,
                     incremental=not no_cache)
    except SchemaLoadError as exc:
        _schema_failure(exc)
    except (ExecutorError, OutputBusy) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:  # e.g. the output folder is a file or not writable: the environment
        click.echo(f"error: cannot write the output: {exc}", err=True)
        sys.exit(2)
    sys.exit(code)


@main.command("deposit")
@config_option
@click.option("--verify", "verify_path", type=click.Path(exists=True, path_type=Path),
              help="Re-check an existing bag folder or .zip instead of building one.")
@click.option("--to", "to", metavar="zenodo|URL", default=None,
              help="Then deposit the package into Zenodo or an InvenioRDM instance (token from the environment: "
                   "ZENODO_TOKEN, ZENODO_SANDBOX_TOKEN or INVENIO_TOKEN; see docs/deposit.md).")
@click.option("--sandbox", is_flag=True, help="With --to zenodo: Zenodo's sandbox, for trying.")
@click.option("--publish", is_flag=True, help="With --to: publish the record (otherwise it stays a draft).")
@click.option("--dry-run", "dry_run", is_flag=True, help="With --to: print the requests instead of sending them.")
def deposit_command(config_path: Path, verify_path: Path | None, to: str | None, sandbox: bool, publish: bool,
                    dry_run: bool) -> None:
    """Build the BagIt deposit package (or --verify an existing one), and --to deposit it."""
    from tei_edition.writers.deposit import package as deposit
    if verify_path is not None:
        sys.exit(deposit.verify_command(verify_path, log=click.echo))
    if to is None:
        if sandbox or publish or dry_run:
            click.echo("error: --sandbox, --publish and --dry-run go with --to zenodo|URL", err=True)
            sys.exit(2)
        sys.exit(deposit.deposit_command(_load(config_path), log=click.echo))
    from tei_edition.repository import target as targets, upload
    try:
        where = targets.target(to, sandbox)
    except targets.TargetError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    problem = upload.missing_token(where, dry_run)
    if problem:
        click.echo(problem, err=True)
        sys.exit(2)
    config = _load(config_path)
    code = deposit.deposit_command(config, log=click.echo)
    if code == 0:
        code = upload.upload_command(config, where, publish=publish, dry_run=dry_run, log=click.echo)
    sys.exit(code)


@main.command("import")
@click.argument("records", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the TEI drafts go (default: the folder of the config's sources).")
@click.option("--force", is_flag=True, help="Overwrite existing TEI files.")
@config_option
def import_command(records: tuple[Path, ...], out_dir: Path | None, force: bool, config_path: Path) -> None:
    """Turn plain-text meeting records into TEI drafts linked to the registers."""
    from tei_edition.commands import importer
    sys.exit(importer.import_command(list(records), out_dir=out_dir, force=force,
                                     config_path=config_path, log=click.echo))


@main.command("new")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--from", "corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="An existing TEI corpus: write DIRECTORY/edition.toml that validates and builds it "
                   "(documents, registers, pointer conventions and schemas are detected).")
def new_command(directory: Path, corpus: Path | None) -> None:
    """Create a new edition project in DIRECTORY (or a config for an existing corpus with --from)."""
    from tei_edition.commands import scaffold
    if corpus is not None:
        sys.exit(scaffold.from_corpus_command(directory, corpus, log=click.echo))
    sys.exit(scaffold.new_command(directory, log=click.echo))


@main.command("serve")
@config_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve_command(config_path: Path, port: int) -> None:
    """Preview the HTML edition on localhost and rebuild when a TEI file changes."""
    from tei_edition.commands import serve
    sys.exit(serve.serve_command(_load(config_path), port=port, log=click.echo))


if __name__ == "__main__":
    main()
