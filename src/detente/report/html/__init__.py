"""The self-contained HTML report (``detente report``) and its sections (the page shell is ``detente.report.page``)."""

from detente.report.html.report import render_report
from detente.report.page import Section, figure_block, page

__all__ = ["Section", "figure_block", "page", "render_report"]
