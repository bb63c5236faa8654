"""mkdocs-status: a static status page generator built as a MkDocs plugin."""

__version__ = "0.1.0"
