"""From text to a located document: the YAML reader and pydantic's problems in our words."""

__all__ = ["MAX_NODES"]

MAX_NODES = 200_000  # values in one document (guards against alias bombs)
