"""The operators' command line, end to end: deploy, start, show, list, complete, timers, users, calendar."""

import json

import pytest

from adapters.web.app import create_app
from tests.support.bpmn import approval_process


@pytest.fixture
def cli(wiring, people):
    app = create_app(wiring.settings, wiring=wiring)
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=[str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def approval_file(tmp_path):
    path = tmp_path / "approval.bpmn"
    path.write_bytes(approval_process())
    return path


def test_deploy_start_show_and_complete_from_the_command_line(cli, approval_file):
    result = cli("processes", "deploy", approval_file)
    assert result.exit_code == 0 and "approval: version 1 (deployed)" in result.output
    assert "unchanged" in cli("processes", "deploy", approval_file).output
    assert "approval\tv1" in cli("processes", "list").output

    started = cli("instances", "start", "approval", "--business-key", "QC-2026-01", "--as", "inst_a",
                  "--data", json.dumps({"class_no": "2026-01"}))
    assert started.exit_code == 0
    instance_id = int(started.output.strip())
    shown = cli("instances", "show", instance_id)
    assert "status=running" in shown.output and "submit" in shown.output

    listed = cli("tasks", "list", "--as", "inst_a").output.splitlines()
    task_id = listed[0].split("\t")[0]
    assert cli("tasks", "list", "--as", "inst_b").output == ""

    bad = cli("tasks", "complete", task_id, "--as", "inst_a", "--data", '{"decision": "perhaps"}')
    assert bad.exit_code == 1 and "decision" in bad.output

    done = cli("tasks", "complete", task_id, "--as", "inst_a", "--data", '{"decision": "approve"}')
    assert done.exit_code == 0 and "running" in done.output
    again = cli("tasks", "complete", task_id, "--as", "inst_a", "--data", '{"decision": "approve"}')
    assert again.exit_code == 1


def test_deploying_an_unsafe_file_exits_1_with_a_clear_message(cli, tmp_path):
    evil = tmp_path / "evil.bpmn"
    evil.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
    result = cli("processes", "deploy", evil)
    assert result.exit_code == 1 and "evil.bpmn" in result.output and "DOCTYPE" in result.output


def test_a_missing_file_and_bad_json_are_clear_errors(cli, approval_file, tmp_path):
    assert cli("processes", "deploy", tmp_path / "nope.bpmn").exit_code == 1
    cli("processes", "deploy", approval_file)
    result = cli("instances", "start", "approval", "--data", "{not json")
    assert result.exit_code == 1 and "--data" in result.output


def test_timers_run_once_reports_what_fired(cli):
    result = cli("timers", "run", "--once")
    assert result.exit_code == 0 and "fired=0" in result.output


def test_users_create_checks_password_complexity(cli):
    weak = cli("users", "create", "newbie", "--org", "INST-A", "--role", "institution_staff", "--password", "123")
    assert weak.exit_code == 1 and "password" in weak.output
    ok = cli("users", "create", "newbie", "--org", "INST-A", "--role", "institution_staff", "--password", "Str0ngPass")
    assert ok.exit_code == 0


def test_calendar_add_working_days_counts_from_the_next_working_day_s1(cli):
    assert cli("calendar", "add-working-days", "2025-09-30", 5).output.strip() == "2025-10-14"


def test_calendar_refuses_a_year_without_data(cli):
    result = cli("calendar", "add-working-days", "2026-12-28", 5)
    assert result.exit_code == 1 and "2027" in result.output


def test_demo_load_creates_every_role_and_a_class_waiting_in_the_institutions_inbox(wiring):
    from tests.bpmn.coverage import BPMN_DIR

    app = create_app(wiring.settings, wiring=wiring)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["processes", "deploy", str(BPMN_DIR)]).exit_code == 0
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "演示-低压电工-01" in first.output
    for username in ("admin", "jiaoyu", "tongan", "kaodian", "zezhou", "kaoshi", "jiuhu", "lanyan"):
        assert username in first.output
    assert "submit_archive" in runner.invoke(args=["tasks", "list", "--as", "tongan"]).output
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "演示-低压电工-01" not in again.output


def test_processes_export_writes_the_deployed_versions_into_bpmn_and_forms(cli, approval_file, tmp_path):
    assert cli("processes", "deploy", approval_file).exit_code == 0
    bpmn, forms = tmp_path / "out-bpmn", tmp_path / "out-forms"
    result = cli("processes", "export", "--bpmn-dir", bpmn, "--forms-dir", forms)
    assert result.exit_code == 0, result.output
    assert "approval v1" in result.output and (forms / "generic_approval.json").is_file()
    assert 'id="approval"' in next(bpmn.glob("*.bpmn")).read_text(encoding="utf-8")
    assert cli("processes", "export", "approval:9", "--bpmn-dir", bpmn).exit_code == 1
