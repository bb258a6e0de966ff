"""Commands beside the build: import plain-text records, scaffold a new edition, serve a preview."""
