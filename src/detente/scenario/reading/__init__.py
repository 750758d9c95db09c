"""From text to a located document: the YAML reader and pydantic's problems in our words."""
