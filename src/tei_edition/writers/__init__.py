"""Writers: one per output (html, search, pdf, deposit), behind the interface in writers.base."""
