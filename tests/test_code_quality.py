"""The house rules, checked in the test run: layer contracts (import-linter) and ruff."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_layers_keep_their_import_contracts():
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_the_code_is_ruff_clean():
    result = run(str(BIN / "ruff"), "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-4000:]


def test_adapters_storage_and_forms_are_mypy_clean():
    result = run(str(BIN / "mypy"), "--no-incremental", "adapters", "storage", "forms")
    assert result.returncode == 0, result.stdout[-4000:]
