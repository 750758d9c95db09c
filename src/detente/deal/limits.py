"""Limits of the deal analyses that callers name before the analyses load.

The command line's defaults and :func:`detente.analysis.analyze`'s parameters read them
here, so that a scenario without proposals never loads the proposal checks.
"""

__all__ = ["MAX_COMPLETIONS"]

MAX_COMPLETIONS = 1_000_000  # completions of a proposal's open terms examined, at most
