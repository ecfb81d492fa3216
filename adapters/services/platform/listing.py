"""Task lists for the command line and the API (the web inbox has its own paged queries)."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from storage.models import HumanTask


def open_tasks_for(platform: Platform, actor: Actor, limit: int = 200) -> Sequence[HumanTask]:
    """Open tasks claimed by the actor or waiting for the actor's roles in the actor's organisation."""
    with platform.reader() as uow:
        return uow.tasks.open_for_actor(actor.user_id, sorted(actor.role_keys), actor.organisation_id, limit)


def all_open_tasks(platform: Platform, limit: int = 200) -> Sequence[HumanTask]:
    with platform.reader() as uow:
        return uow.tasks.all_open(limit)
