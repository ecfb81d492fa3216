"""Loading form definitions from `forms/<key>.json` files or from text stored with a process version."""

from __future__ import annotations

import json
from pathlib import Path
from stat import S_ISREG

from forms.definition import FORM_KEY, FormDefinition, parse_form
from forms.errors import FormDefinitionError, FormNotFoundError

# A form is a few kilobytes; the cap keeps a mistaken upload from being parsed at all.
MAX_FORM_BYTES = 1_000_000


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def load_form_text(key: str, text: str | bytes, *, source: str | None = None) -> FormDefinition:
    """Parse the JSON text of form `key` (e.g. bundled in a deployed process version)."""
    source = source or f"forms/{key}.json"
    if len(text) > MAX_FORM_BYTES:
        raise FormDefinitionError(source, "", f"larger than {MAX_FORM_BYTES} bytes")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormDefinitionError(source, "", f"not UTF-8 text ({exc.reason})") from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise FormDefinitionError(source, f"line {exc.lineno} column {exc.colno}",
                                  f"invalid JSON: {exc.msg}") from None
    except _DuplicateKey as exc:
        raise FormDefinitionError(source, "", f"duplicate JSON key {exc.args[0]!r}") from None
    except ValueError as exc:
        raise FormDefinitionError(source, "", f"invalid JSON: {exc}") from None
    definition = parse_form(data, source)
    if definition.key != key:
        raise FormDefinitionError(source, "key", f"'key' is {definition.key!r} but the form is named {key!r}")
    return definition


class FormRegistry:
    """The forms of a directory, parsed on first use and re-parsed when a file changes."""

    def __init__(self, directory: Path) -> None:
        self._directory = Path(directory)
        # Plain dict: a race between two requests at worst parses the same file twice.
        self._cache: dict[str, tuple[tuple[int, int], FormDefinition]] = {}

    @property
    def directory(self) -> Path:
        """Return the directory the forms are read from."""
        return self._directory

    def _path(self, key: str) -> Path | None:
        # The key pattern also keeps "../x" and other paths out of the file system.
        return self._directory / f"{key}.json" if FORM_KEY.fullmatch(key) else None

    def get(self, key: str) -> FormDefinition:
        """Return the definition of form `key`; FormNotFoundError or FormDefinitionError otherwise."""
        path = self._path(key)
        try:
            stat = path.stat() if path is not None else None
        except FileNotFoundError:
            stat = None
        if path is None or stat is None or not S_ISREG(stat.st_mode):
            raise FormNotFoundError(key, str(self._directory))
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        source = f"{self._directory.name}/{path.name}"
        if stat.st_size > MAX_FORM_BYTES:
            raise FormDefinitionError(source, "", f"larger than {MAX_FORM_BYTES} bytes")
        definition = load_form_text(key, path.read_bytes(), source=source)
        self._cache[key] = (stamp, definition)
        return definition

    def exists(self, key: str) -> bool:
        """Return True when a definition file for `key` exists (it may still be invalid)."""
        path = self._path(key)
        return path is not None and path.is_file()

    def keys(self) -> list[str]:
        """Return the sorted keys of all form files in the directory."""
        paths = self._directory.glob("*.json")
        return sorted(p.stem for p in paths if FORM_KEY.fullmatch(p.stem) and p.is_file())

    def load_all(self) -> dict[str, FormDefinition]:
        """Parse every form (for start-up and CI checks); raise the first FormDefinitionError."""
        return {key: self.get(key) for key in self.keys()}
