"""Helpers for the certificate-issuance tests: deploy the diagrams, build trainees, move a class along."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection
from pathlib import Path
from typing import Any

from adapters.engine import clock
from adapters.rules.documents import class_archive_items
from adapters.rules.idnumbers import check_character
from adapters.services.bootstrap import Wiring
from adapters.services.issuance import archive, issuance_context
from adapters.services.issuance.classes import TraineeInput
from adapters.services.issuance.context import IssuanceContext
from adapters.services.platform import deploy, documents, instances, tasks
from adapters.services.platform.actors import Actor
from storage.models import HumanTask
from storage.models_issuance import TrainingClass

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BEIJING = dt.timezone(dt.timedelta(hours=8))


def deploy_training(wiring: Wiring) -> None:
    files = {name: (BPMN / name).read_bytes() for name in ("certificate_issuance.bpmn", "exam_with_resit.bpmn")}
    deploy.deploy(wiring.platform, files, "admin")


def ctx_of(wiring: Wiring) -> IssuanceContext:
    return issuance_context(wiring)


def id_number(n: int, born: str = "19800101", area: str = "140502") -> str:
    """A valid 18-character ID number, different for each n."""
    first = f"{area}{born}{n % 1000:03d}"
    return first + check_character(first)


SURNAMES = "张王李赵刘陈杨黄周吴"
GIVEN = ("伟", "芳", "娜", "强", "磊")


def name_of(n: int) -> str:
    """A distinct Chinese name for trainee n (1 … 50)."""
    return SURNAMES[(n - 1) % 10] + GIVEN[(n - 1) // 10 % 5] + ("" if n <= 50 else str(n))


def trainee(n: int, *, job_type: str = "1.2", education: str = "high_school", kind: str = "initial",
            **flags: Any) -> TraineeInput:
    return TraineeInput(name=name_of(n), id_number=id_number(n), education=education, job_type=job_type,
                        training_kind=kind, mobile="13800000000", employer="晋城某公司", **flags)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """An aware UTC moment at ``hour`` o'clock Beijing time on ``day``."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING).astimezone(dt.UTC)


def set_day(fake: clock.FixedClock, day: dt.date, hour: int = 9) -> None:
    fake.value = at(day, hour)


def upload(ctx: IssuanceContext, actor: Actor, *, trainee_id: int | None = None, class_id: int | None = None,
           key: str) -> int:
    stream = documents.Upload(io.BytesIO(PDF_BYTES), f"{key}.pdf")
    if trainee_id is not None:
        return archive.attach_trainee_document(ctx, actor, trainee_id, key, stream)
    assert class_id is not None
    return archive.attach_class_document(ctx, actor, class_id, key, stream)


def complete_archive(ctx: IssuanceContext, actor: Actor, class_id: int, *, skip: Collection[tuple[int, str]] = ()
                     ) -> None:
    """Upload every missing A1.1 and A1.2 document (except ``skip``: (trainee index, key) pairs)."""
    status = archive.archive_status(ctx, actor, class_id)
    for key, _label in status.class_missing:
        upload(ctx, actor, class_id=class_id, key=key)
    for index, item in enumerate(status.trainees):
        for key, _label in item.missing:
            if (index, key) not in skip:
                upload(ctx, actor, trainee_id=item.trainee_id, key=key)


def open_task(wiring: Wiring, actor: Actor, instance_id: int, bpmn_id: str) -> HumanTask:
    view = instances.show_instance(wiring.platform, actor, instance_id)
    found = [t for t in view.active_tasks if t.bpmn_id == bpmn_id]
    assert found, f"no open task {bpmn_id}; open: {[t.bpmn_id for t in view.active_tasks]} ({view.status})"
    return found[0]


def complete(wiring: Wiring, actor: Actor, instance_id: int, bpmn_id: str, data: dict[str, Any]) -> str:
    task = open_task(wiring, actor, instance_id, bpmn_id)
    return tasks.complete(wiring.platform, actor, task.id, data)


def open_ids(wiring: Wiring, instance_id: int) -> list[str]:
    view = instances.show_instance(wiring.platform, _admin(wiring), instance_id)
    return sorted(t.bpmn_id for t in view.active_tasks)


def _admin(wiring: Wiring) -> Actor:
    from adapters.services.platform.directory import actor_by_username

    return actor_by_username(wiring.platform, "admin")


def training_class(wiring: Wiring, class_id: int) -> TrainingClass:
    with wiring.platform.uow() as uow:
        found = uow.session.get(TrainingClass, class_id)
        assert found is not None
        return found


CLASS_ITEMS = [key for key, _ in class_archive_items()]
