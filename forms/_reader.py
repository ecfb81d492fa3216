"""Strict reading of one JSON object of a form definition, with errors naming file and path."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import NoReturn

from forms.errors import FormDefinitionError
from forms.labels import Label, parse_label

IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")


class Node:
    """One JSON object at `path` inside the definition file `source`."""

    def __init__(self, data: object, source: str, path: str) -> None:
        self.source = source
        self.path = path
        if not isinstance(data, Mapping):
            self.fail(f"expected a JSON object, got {type(data).__name__}")
        self.data: Mapping[str, object] = data

    def fail(self, message: str) -> NoReturn:
        """Raise a FormDefinitionError located at this node."""
        raise FormDefinitionError(self.source, self.path, message)

    def check_keys(self, allowed: frozenset[str], what: str) -> None:
        """Refuse keys outside `allowed`, so a typo never silently disables a rule."""
        unknown = sorted(set(self.data) - allowed)
        if unknown:
            self.fail(f"unknown key(s) {', '.join(map(repr, unknown))} for {what}")

    def has(self, key: str) -> bool:
        """Return True when the key is present (even with a null value)."""
        return key in self.data

    def get(self, key: str) -> object:
        """Return the raw value of a key, or None."""
        return self.data.get(key)

    def text(self, key: str, *, required: bool = False) -> str | None:
        """Return a non-empty string value."""
        value = self.data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"'{key}' must be a non-empty string")
        return value

    def identifier(self, key: str) -> str:
        """Return a required identifier (a workflow data key)."""
        value = self.text(key, required=True)
        assert value is not None
        if not IDENTIFIER.fullmatch(value):
            self.fail(f"'{key}' must be an identifier (letters, digits, '_', starting with a letter), "
                      f"got {value!r}")
        return value

    def label(self, key: str, *, required: bool = False) -> Label | None:
        """Return a plain-string or {"zh", "en"} label."""
        value = self.data.get(key)
        if value is None and not required:
            return None
        label = parse_label(value)
        if label is None:
            self.fail(f"'{key}' must be a non-empty string or an object with 'zh'/'en' strings")
        return label

    def flag(self, key: str) -> bool:
        """Return a boolean option (default False)."""
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"'{key}' must be true or false")
        return value

    def integer(self, key: str, low: int, high: int) -> int | None:
        """Return an integer option within [low, high], or None when absent."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"'{key}' must be an integer from {low} to {high}")
        return value

    def items(self, key: str, *, required: bool = False) -> Iterator[tuple[int, object, str]]:
        """Yield (index, item, path) for a list option."""
        value = self.data.get(key)
        if value is None and not required:
            return
        if not isinstance(value, list) or (required and not value):
            self.fail(f"'{key}' must be a non-empty list" if required else f"'{key}' must be a list")
        for index, item in enumerate(value):
            yield index, item, f"{self.path}.{key}[{index}]" if self.path else f"{key}[{index}]"
