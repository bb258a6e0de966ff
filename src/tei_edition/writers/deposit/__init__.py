"""The deposit writer and the `edition deposit` command: BagIt bag, zip, metadata records."""

from tei_edition.writers.deposit.writer import write

__all__ = ["write"]
