"""What every institutions use case needs: the platform, the object store, the rule values and the access rules
(an institution sees its own duties; the city bureau's training section scores and publishes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden
from storage.objects import ObjectStore
from storage.repositories.institutions import InstitutionsRepository
from storage.uow import UnitOfWork

T = TypeVar("T")

INSTITUTION_KIND = "institution"
INSTITUTION_ROLE = "institution_staff"
BUREAU_ROLE = "bureau_training"
SURVEY_PROCESS = "institution_survey"
SURVEY_LINK = "/institutions/surveys/{survey_id}"


@dataclass(frozen=True)
class InstitutionsContext:
    platform: Platform
    objects: ObjectStore
    upload_max_bytes: int
    reference: Any  # the platform's ReferenceCache (rule values with effective dates)

    def today(self) -> dt.date:
        return self.platform.today()

    def rule(self, key: str, on: dt.date | None = None) -> int:
        return int(self.reference.rulebook().value(key, on or self.today()))


def institutions_context(wiring: Any) -> InstitutionsContext:
    return InstitutionsContext(platform=wiring.platform, objects=wiring.objects,
                               upload_max_bytes=wiring.settings.upload_max_mb * 1024 * 1024,
                               reference=wiring.reference)


def repo(uow: UnitOfWork) -> InstitutionsRepository:
    return InstitutionsRepository(uow.session)


@contextmanager
def unit(ctx: InstitutionsContext) -> Iterator[tuple[UnitOfWork, InstitutionsRepository]]:
    with ctx.platform.uow() as uow:
        yield uow, repo(uow)


def read(ctx: InstitutionsContext, fn: Callable[[UnitOfWork, InstitutionsRepository], T]) -> T:
    with ctx.platform.reader() as uow:
        return fn(uow, repo(uow))


def is_bureau(actor: Actor) -> bool:
    return actor.is_admin or actor.has_role(BUREAU_ROLE)


def require_bureau(actor: Actor) -> None:
    if not is_bureau(actor):
        raise Forbidden("只有市局教育训练科可以评估调研、发布结果和查看执法检查名单")


def require_institution(actor: Actor, organisation_id: int) -> None:
    """Only the institution's own staff work on its survey and 送培入企 records."""
    if not (actor.organisation_id == organisation_id and actor.has_role(INSTITUTION_ROLE)):
        raise Forbidden("只有本培训机构的经办人可以填报")
