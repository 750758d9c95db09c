"""The self-contained HTML report (``detente report``): sections and the page shell."""

from detente.report.html.page import Section, figure_block, page
from detente.report.html.report import render_report

__all__ = ["Section", "figure_block", "page", "render_report"]
