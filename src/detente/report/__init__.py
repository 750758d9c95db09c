"""Rendering of analysis results: terminal text (rich), JSON documents and HTML.

Nothing here computes an analysis; every function takes a result object and renders it.
``report.json`` builds the JSON documents (envelope: :mod:`detente.report.json.envelope`),
``report.text`` the terminal text, ``report.plots`` the Plotly figures.
"""

from detente.report.json.envelope import FORMAT_VERSION

__all__ = ["FORMAT_VERSION"]
