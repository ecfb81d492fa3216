"""Bilingual texts in form definitions: a plain string or {"zh": ..., "en": ...}."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

LANGUAGES = ("zh", "en")
# Chinese is the working language of the bureau, so it is the fallback for a missing translation.
DEFAULT_LANGUAGE = "zh"

Label = str | Mapping[str, str]


def label_for(obj: object, lang: str) -> str:
    """Return the text of a label in `lang`, falling back to Chinese, then any language, then ""."""
    if obj is None:
        return ""
    if isinstance(obj, str):
        return obj
    if isinstance(obj, Mapping):
        for candidate in (lang, DEFAULT_LANGUAGE, *LANGUAGES):
            text = obj.get(candidate)
            if isinstance(text, str) and text:
                return text
    return ""


def parse_label(value: object) -> Label | None:
    """Return a normalised read-only label, or None when `value` is not a valid label."""
    if isinstance(value, str):
        return value if value.strip() else None
    if not isinstance(value, Mapping) or not value:
        return None
    if any(key not in LANGUAGES for key in value):
        return None
    if not all(isinstance(text, str) and text.strip() for text in value.values()):
        return None
    return MappingProxyType(dict(value))
