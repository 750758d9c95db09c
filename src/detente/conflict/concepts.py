"""The GMCR stability concepts analysed, by name.

Nash (Nash 1950; rational stability, Howard 1971), general metarationality (GMR,
Howard 1971), symmetric metarationality (SMR, Howard 1971) and sequential stability
(SEQ, Fraser & Hipel 1984), as defined for the graph model in Fang, Hipel & Kilgour
(1993, sec. 3.2-3.4) and :mod:`detente.conflict.stability`.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["CONCEPTS", "Concept"]

Concept = Literal["nash", "gmr", "smr", "seq"]
CONCEPTS: tuple[Concept, ...] = ("nash", "gmr", "smr", "seq")
