"""Other tools' formats: GENIUS / ANAC negotiation domains (XML) into scenarios."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.interop.genius import find_genius_files, genius_to_document, load_genius

__all__ = ["find_genius_files", "genius_to_document", "load_genius"]

# names load on first use: importing one module of the package loads only what it needs
_LAZY = {
    "find_genius_files": "detente.interop.genius",
    "genius_to_document": "detente.interop.genius",
    "load_genius": "detente.interop.genius",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
