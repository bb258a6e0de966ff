"""Rendering with XSLT 3.0 (saxonche): compiled stylesheets and what they are given."""
