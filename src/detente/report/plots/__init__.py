"""Plotly figures (self-contained HTML): the deal space and the conflict's state graph.

Plotly loads only when a module here is imported: ``deal`` (:func:`plot_html`) and
``conflict`` (:func:`conflict_figure`).
"""

__all__: list[str] = []
