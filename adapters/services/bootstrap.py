"""The one place that wires the platform together from settings (called by create_app and the command line)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.engine.runtime import WorkflowRuntime
from adapters.engine.sandbox import ScriptBudget
from adapters.engine.service_registry import ServiceRegistry
from adapters.queue.huey_queue import HueyQueue, InlineQueue, make_queue
from adapters.services import enterprises, institutions, issuance
from adapters.services import plans as plans_family
from adapters.services.platform import Platform, jobs, notifications, recurring
from adapters.services.platform.context import in_savepoint
from adapters.services.platform.reference import ReferenceCache, script_functions
from adapters.settings import Settings
from forms.definition import FormDefinition
from forms.loader import FormRegistry, load_form_text
from forms.validation import validate
from storage.db import make_engine, make_session_factory
from storage.objects import LocalObjectStore, MinioObjectStore, ObjectStore
from storage.uow import UnitOfWork


@dataclass
class Wiring:
    """What bootstrap built; the app factory and the command line keep it for the process lifetime."""

    settings: Settings
    platform: Platform
    reference: ReferenceCache
    forms: FormRegistry
    objects: ObjectStore
    engine: Any
    queue: InlineQueue | HueyQueue
    notifier: Any = None

    def dispose(self) -> None:
        self.engine.dispose()


def check_form(definition: FormDefinition, data: Mapping[str, Any], today: dt.date) -> tuple[dict, dict]:
    result = validate(definition, data, today=today)
    return dict(result.cleaned), dict(result.errors)


def bootstrap(settings: Settings, *, services: ServiceRegistry | None = None) -> Wiring:
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)

    queue = make_queue(settings.job_queue, settings.data_dir, settings.job_queue_name)

    def new_uow() -> UnitOfWork:
        return UnitOfWork(factory, dispatch=queue.dispatch)

    def read_uow() -> UnitOfWork:
        return UnitOfWork(factory, read_only=True)

    forms = FormRegistry(settings.forms_dir)
    reference = ReferenceCache(read_uow)
    registry = services if services is not None else ServiceRegistry()
    registry.around = in_savepoint
    platform_box: dict[str, Platform] = {}
    def today() -> dt.date:
        return platform_box["p"].today()

    functions = script_functions(reference, today)
    runtime = WorkflowRuntime(functions, registry, budget=ScriptBudget(
        max_steps=settings.script_max_steps, max_seconds=settings.script_max_seconds))
    platform = Platform(uow=new_uow, read=read_uow, runtime=runtime, check_form=check_form,
                        form_source=lambda key: _form_text(forms, key), parse_form=load_form_text)
    platform.dispatch = queue.dispatch
    platform_box["p"] = platform
    if isinstance(queue, InlineQueue):
        queue.runner = lambda job_id: jobs.execute(platform, job_id)
    notifier = notifications.install(platform, settings, calendar=reference.calendar)
    recurring.install(platform)
    wiring = Wiring(settings=settings, platform=platform, reference=reference, forms=forms,
                    objects=make_object_store(settings), engine=engine, queue=queue, notifier=notifier)
    issuance.install(wiring)
    enterprises.install(wiring)
    plans_family.install(wiring)
    institutions.install(wiring)
    return wiring


def make_object_store(settings: Settings) -> ObjectStore:
    """The local folder by default; MinIO when OBJECT_STORE=minio (or MINIO_ENDPOINT is set)."""
    if settings.object_store == "minio" or settings.minio_endpoint:
        if not (settings.minio_endpoint and settings.minio_access_key and settings.minio_secret_key):
            raise ValueError("OBJECT_STORE=minio needs MINIO_ENDPOINT, MINIO_ACCESS_KEY and MINIO_SECRET_KEY")
        return MinioObjectStore.from_settings(settings.minio_endpoint, settings.minio_access_key,
                                              settings.minio_secret_key, settings.minio_bucket,
                                              secure=settings.minio_secure)
    settings.object_dir.mkdir(parents=True, exist_ok=True)
    return LocalObjectStore(settings.object_dir)


def _form_text(forms: FormRegistry, key: str) -> str | None:
    """The form's JSON text if it exists and is valid (an invalid form fails the deployment later)."""
    if not forms.exists(key):
        return None
    forms.get(key)  # raises FormDefinitionError naming the file and field when the definition is broken
    return (forms.directory / f"{key}.json").read_text(encoding="utf-8")
