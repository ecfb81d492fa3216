"""What every training use case needs (platform, calendar and rules, object store) and the access rules they share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound
from storage.models import Organisation
from storage.models_issuance import ExamSitting, TrainingClass
from storage.objects import ObjectStore
from storage.repositories.issuance import IssuanceRepository
from storage.uow import UnitOfWork

T = TypeVar("T")

INSTITUTION_ROLE = "institution_staff"
BUREAU_ROLE = "bureau_training"
SITE_ROLE = "exam_site_staff"
PROCESS_KEY = "certificate_issuance"
EXAM_PROCESS_KEY = "exam_with_resit"
# Web routes the services link to (notifications, certificate QR codes); the web layer serves them.
CLASS_LINK = "/classes/{class_id}"
CERTIFICATE_VERIFY_PATH = "/classes/certificates/verify/{code}"


@dataclass(frozen=True)
class IssuanceContext:
    """Collaborators of the training use cases; build it with ``issuance_context(wiring)``."""

    platform: Platform
    objects: ObjectStore
    public_url: str
    upload_max_bytes: int

    def today(self) -> dt.date:
        return self.platform.today()


def issuance_context(wiring: Any) -> IssuanceContext:
    """The context for a bootstrap ``Wiring`` (cheap; pages may call it per request)."""
    return IssuanceContext(platform=wiring.platform, objects=wiring.objects,
                           public_url=wiring.settings.public_url,
                           upload_max_bytes=wiring.settings.upload_max_mb * 1024 * 1024)


def repo(uow: UnitOfWork) -> IssuanceRepository:
    return IssuanceRepository(uow.session)


@contextmanager
def unit(ctx: IssuanceContext) -> Iterator[tuple[UnitOfWork, IssuanceRepository]]:
    """A unit of work with the training repository on it (the caller commits)."""
    with ctx.platform.uow() as uow:
        yield uow, repo(uow)


@contextmanager
def reading(ctx: IssuanceContext) -> Iterator[tuple[UnitOfWork, IssuanceRepository]]:
    """A query-only unit of work (pages and lookups; it takes no write lock)."""
    with ctx.platform.reader() as uow:
        yield uow, repo(uow)


def read(ctx: IssuanceContext, fn: Callable[[UnitOfWork, IssuanceRepository], T]) -> T:
    """Run a read-only query in its own unit of work."""
    with reading(ctx) as (uow, training):
        return fn(uow, training)


def get_class(training: IssuanceRepository, class_id: int, *, lock: bool = False) -> TrainingClass:
    found = training.training_class(class_id, lock=lock)
    if found is None:
        raise NotFound(f"期次 {class_id} 不存在")
    return found


def city_bureau_of(training: IssuanceRepository, organisation_id: int) -> Organisation | None:
    """The city bureau at or above an organisation (whose 教育训练科 reviews, schedules and issues)."""
    org = training.organisation(organisation_id)
    while org is not None and org.kind != "city_bureau":
        org = training.organisation(org.parent_id) if org.parent_id else None
    return org


def may_see_class(actor: Actor, cls: TrainingClass, sitting: ExamSitting | None) -> bool:
    """Institution and bureaus by jurisdiction, and the exam site the class was assigned to."""
    if actor.is_admin or actor.sees_organisation(cls.institution_id):
        return True
    return sitting is not None and actor.organisation_id == sitting.exam_site_id


def visible_class(training: IssuanceRepository, actor: Actor, class_id: int, *, lock: bool = False) -> TrainingClass:
    cls = get_class(training, class_id, lock=lock)
    if not may_see_class(actor, cls, training.sitting(cls.id)):
        raise NotFound(f"期次 {class_id} 不存在")
    return cls


def _hide_from_outsiders(actor: Actor, cls: TrainingClass, sitting: ExamSitting | None = None) -> None:
    """Someone who may not even see the class learns nothing about it (404, no class number)."""
    assigned_site = sitting is not None and actor.organisation_id == sitting.exam_site_id
    if not (actor.is_admin or actor.sees_organisation(cls.institution_id) or assigned_site):
        raise NotFound(f"期次 {cls.id} 不存在")


def require_institution(actor: Actor, cls: TrainingClass) -> None:
    if not (actor.has_role(INSTITUTION_ROLE) and actor.organisation_id == cls.institution_id):
        _hide_from_outsiders(actor, cls)
        raise Forbidden(f"只有培训机构本机构的经办人可以办理期次 {cls.class_no} 的此项事务")


def require_bureau(actor: Actor, cls: TrainingClass) -> None:
    if not (actor.has_role(BUREAU_ROLE) and actor.sees_organisation(cls.institution_id)):
        _hide_from_outsiders(actor, cls)
        raise Forbidden(f"只有市局教育训练科可以办理期次 {cls.class_no} 的此项事务")


def require_site(actor: Actor, sitting: ExamSitting | None, cls: TrainingClass) -> ExamSitting:
    if sitting is None:
        _hide_from_outsiders(actor, cls)
        raise InvalidData({"exam": f"期次 {cls.class_no} 尚未安排考试"})
    if not (actor.has_role(SITE_ROLE) and actor.organisation_id == sitting.exam_site_id):
        _hide_from_outsiders(actor, cls, sitting)
        raise Forbidden(f"只有承担期次 {cls.class_no} 考试的考点可以办理此项事务")
    return sitting


def require_status(cls: TrainingClass, allowed: tuple[str, ...], action: str) -> None:
    if cls.status not in allowed:
        label = STATUS_LABELS.get(cls.status, cls.status)
        raise Conflict(f"期次 {cls.class_no} 当前状态为“{label}”，不能{action}")


STATUS_LABELS = {
    "registered": "已登记（准备档案）",
    "submitted": "档案已报送，待审核",
    "returned": "档案被退回，待补正",
    "approved": "档案审核通过",
    "examining": "已转入考试",
    "scheduled": "已安排考试",
    "examined": "考试成绩已定案",
    "exam_archived": "考试档案已报送",
    "issued": "证书已生成",
    "delivered": "证书已交付培训机构",
    "closed": "学员已全部领证",
    "no_passers": "无考试合格学员",
}
EDITABLE_STATUSES = ("registered", "returned")
