"""Every executable process in bpmn/ has a path-test module that ends by proving all its elements were reached."""

from pathlib import Path

import pytest

from tests.bpmn.coverage import executable_processes

HERE = Path(__file__).resolve().parent


def modules_covering(process_key: str) -> list[str]:
    marker = f'reached.missing("{process_key}")'
    return [p.name for p in HERE.glob("test_*.py") if marker in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("process_key", sorted(executable_processes()) or ["<none>"])
def test_each_diagram_is_walked_through_all_its_paths(process_key):
    if process_key == "<none>":
        pytest.skip("no diagrams in bpmn/ yet")
    assert modules_covering(process_key), (
        f"no module in tests/bpmn asserts reached.missing(\"{process_key}\") == set(): "
        "add path tests for this diagram")


def test_the_whole_bpmn_folder_deploys(diagrams):
    from adapters.services.platform.deploy import deploy
    from tests.bpmn.coverage import diagram_files

    files = diagram_files()
    if not files:
        pytest.skip("no diagrams in bpmn/ yet")
    assert all(not r.changed for r in deploy(diagrams.platform, files, "admin"))
