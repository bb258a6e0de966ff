"""Build caches: the store, the facts of each source file, the pages of the last build."""
