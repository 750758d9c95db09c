"""JSON documents of every command (documented in docs/cli-json.md).

Each module renders one kind of result; :mod:`detente.report.json.envelope` holds the
envelope every document shares and the error document.
"""

from detente.report.json.envelope import FORMAT_VERSION, envelope, error_document

__all__ = ["FORMAT_VERSION", "envelope", "error_document"]
