"""Errors raised while loading form definitions (user input errors are never raised)."""

from __future__ import annotations


class FormDefinitionError(ValueError):
    """A form definition file is malformed; the message names the file and the element path."""

    def __init__(self, source: str, path: str, message: str) -> None:
        self.source = source
        self.path = path
        self.message = message
        where = f"{source}: {path}" if path else source
        super().__init__(f"{where}: {message}")


class FormNotFoundError(LookupError):
    """No form definition exists for the requested key."""

    def __init__(self, key: str, directory: str) -> None:
        self.key = key
        super().__init__(f"表单“{key}”不存在 (no form definition '{key}.json' in {directory})")
