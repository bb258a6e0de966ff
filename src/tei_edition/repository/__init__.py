"""Depositing the built package into a repository: InvenioRDM's records API (Zenodo included)."""
