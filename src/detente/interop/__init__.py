"""Other tools' formats: GENIUS / ANAC negotiation domains (XML) into scenarios."""

from detente.interop.genius import find_genius_files, genius_to_document, load_genius

__all__ = ["find_genius_files", "genius_to_document", "load_genius"]
