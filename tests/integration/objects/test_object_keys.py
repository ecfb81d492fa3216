"""Object keys are built by the caller but always validated, so none can escape the store."""

from __future__ import annotations

import pytest

from storage.objects import InvalidKey, StorageError, check_key, safe_key

UUID = "0b6f3c2e-7d4a-4c39-9a51-2f1e8d7c6b5a"


def test_safe_key_joins_parts_with_slashes() -> None:
    assert safe_key("docs", "2026", "11", UUID) == f"docs/2026/11/{UUID}"


def test_safe_key_accepts_a_part_that_already_holds_segments() -> None:
    assert safe_key("docs/2026", "11", UUID) == f"docs/2026/11/{UUID}"


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        (("docs", ".."), "path traversal"),
        (("docs", "..", "etc"), "path traversal"),
        (("/etc", "passwd"), "absolute"),
        (("docs", "/abs"), "absolute"),
        (("docs\\2026",), "backslash"),
        (("docs", "a\x00b"), "NUL"),
        (("docs", "", UUID), "empty key segment"),
        (("docs/", UUID), "empty key segment"),
        (("docs", "."), "path traversal"),
        (("docs", ".hidden"), "invalid key segment"),
        (("docs", "证书.pdf"), "invalid key segment"),
        (("docs", "a b"), "invalid key segment"),
        ((), "empty object key"),
    ],
)
def test_safe_key_refuses_anything_that_could_escape_or_confuse_the_store(
    parts: tuple[str, ...], reason: str
) -> None:
    with pytest.raises(InvalidKey) as caught:
        safe_key(*parts)
    assert reason in str(caught.value)


def test_invalid_key_is_a_storage_error_and_a_value_error() -> None:
    with pytest.raises(InvalidKey) as caught:
        check_key("../x")
    assert isinstance(caught.value, StorageError)
    assert isinstance(caught.value, ValueError)


def test_overlong_keys_are_refused() -> None:
    with pytest.raises(InvalidKey, match="key too long"):
        check_key("a" * 513)


def test_check_key_returns_a_valid_key_unchanged() -> None:
    assert check_key(f"docs/2026/11/{UUID}") == f"docs/2026/11/{UUID}"
