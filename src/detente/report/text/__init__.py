"""Terminal text (rich renderables and wrapped prose) of every result.

Modules: ``summary`` (the bottom line), ``scenario`` (show, check), ``deal``, ``gaps``,
``conflict``. Import the one you need; rich is the only dependency.
"""

__all__: list[str] = []
