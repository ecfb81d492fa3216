"""`flask check` (issue 11.4): instance states, the task table, the outbox and the documents agree — or each
disagreement is named with its place."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest

from adapters.services.platform import consistency, deploy, instances, jobs, tasks
from storage.models import Document, HumanTask
from storage.models_jobs import Job
from tests.support.bpmn import approval_process


@pytest.fixture
def running(people):
    platform = people.wiring.platform
    deploy.deploy(platform, {"approval.bpmn": approval_process()}, "admin")
    ids = [instances.start_instance(platform, people.actor("inst_a"), "approval", business_key=f"b{i}")
           for i in range(3)]
    return people, ids


def _document(people, content: bytes = b"%PDF-1.4 scanned diploma") -> int:
    wiring = people.wiring
    stored = wiring.objects.put("docs/check-1", io.BytesIO(content), content_type="application/pdf",
                                max_bytes=1 << 20)
    with wiring.platform.uow() as uow:
        doc = Document(organisation_id=people.orgs["INST-A"], filename="毕业证.pdf", content_type="application/pdf",
                       size=stored.size, sha256=hashlib.sha256(content).hexdigest(), object_key="docs/check-1",
                       uploaded_by_id=people.actor("inst_a").user_id)
        uow.session.add(doc)
        uow.commit()
        return doc.id


def _places(report) -> list[str]:
    return [f"{f.place}: {f.problem}" for f in report.findings]


def test_a_healthy_database_passes_the_check(running):
    people, _ = running
    _document(people)
    report = consistency.check(people.wiring.platform, people.wiring.objects)
    assert report.ok, _places(report)
    assert report.checked["instances"] == 3 and report.checked["documents"] == 1


def test_a_lost_task_row_and_a_task_left_open_after_the_end_are_both_named(running):
    people, ids = running
    with people.wiring.platform.uow() as uow:
        lost = uow.tasks.open_for_instance(ids[0])[0]
        uow.session.delete(lost)
        finished = uow.instances.get(ids[1])
        finished.status = "completed"
        uow.commit()
    found = _places(consistency.check(people.wiring.platform, people.wiring.objects))
    assert any(f.startswith(f"流程实例 {ids[0]}:") and lost.id in f and "没有打开的记录" in f for f in found)
    assert any(f"流程实例 {ids[1]} 已是 completed" in f for f in found)


def test_a_state_that_cannot_be_restored_is_named_not_raised(running):
    people, ids = running
    with people.wiring.platform.uow() as uow:
        uow.instances.get(ids[2]).state = '{"broken": true'
        uow.commit()
    found = _places(consistency.check(people.wiring.platform, people.wiring.objects))
    assert any(f.startswith(f"流程实例 {ids[2]}: 保存的流程状态无法恢复") for f in found)


def test_a_changed_or_missing_object_is_named_by_document(running):
    people, _ = running
    doc_id = _document(people)
    people.wiring.objects.put("docs/check-1", io.BytesIO(b"tampered"), content_type="application/pdf",
                              max_bytes=1 << 20)
    found = _places(consistency.check(people.wiring.platform, people.wiring.objects))
    assert any(f.startswith(f"文件 {doc_id}（毕业证.pdf）") and "SHA-256" in f for f in found)
    people.wiring.objects.delete("docs/check-1")
    found = _places(consistency.check(people.wiring.platform, people.wiring.objects))
    assert any(f.startswith(f"文件 {doc_id}（毕业证.pdf）") and "无法读取" in f for f in found)


def test_a_job_on_an_expired_lease_and_an_unknown_job_kind_are_named(running):
    people, _ = running
    platform = people.wiring.platform
    long_ago = platform.now() - dt.timedelta(hours=2)
    with platform.uow() as uow:
        uow.session.add(Job(kind="certificates.render", state="running", lease_until=long_ago, worker="host-1:42"))
        uow._dispatch = None
        jobs.enqueue(uow, "nobody.handles.this", {})
        uow.commit()
    found = _places(consistency.check(platform, people.wiring.objects))
    assert any("租约已过期" in f and "host-1:42" in f for f in found)
    assert any(f.startswith("后台任务类型 nobody.handles.this") for f in found)


def test_the_task_table_of_a_healthy_run_agrees_after_completions(running):
    people, ids = running
    platform = people.wiring.platform

    with platform.reader() as uow:
        first: HumanTask = uow.tasks.open_for_instance(ids[0])[0]
    tasks.complete(platform, people.actor("inst_a"), first.id, {"decision": "approve", "comment": "材料齐全"})
    report = consistency.check(platform, people.wiring.objects)
    assert report.ok, _places(report)
