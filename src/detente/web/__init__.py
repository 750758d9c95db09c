"""The web app (``detente serve``; needs the ``web`` extra: FastAPI and uvicorn).

:func:`detente.web.app.create_app` builds the application from
:class:`detente.web.config.Settings`. Importing this package loads neither FastAPI nor
any analysis.
"""

from __future__ import annotations

__all__: list[str] = []
