"""How work runs: the executor (processes or Dask), the output lock, progress, GC pauses."""
