"""Rendering of analysis results: terminal text (rich), JSON documents and HTML plots.

Nothing here computes an analysis; every function takes a result object and renders it.
"""

FORMAT_VERSION = 1
"""Version of the JSON documents (docs/cli-json.md): raised when a key is removed or renamed."""

__all__ = ["FORMAT_VERSION"]
