"""Deploy BPMN/DMN files as process versions: unchanged content is a no-op, changed content is version N+1."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from adapters.engine.errors import DeploymentError
from adapters.engine.loader import DeploymentRules, LoadedProcess, load_processes
from adapters.engine.serializer import spec_to_json
from adapters.services.platform import Platform
from adapters.services.platform.errors import DeploymentRefused
from storage.models import ProcessVersion
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class DeployResult:
    process_key: str
    version: int
    changed: bool
    version_id: int


def deploy(platform: Platform, files: Mapping[str, bytes], deployed_by: str, *, comment: str = "",
           form_text: Callable[[str], str | None] | None = None,
           only: Collection[str] | None = None) -> list[DeployResult]:
    """Check every file completely, then store new versions in one transaction (all or nothing).

    ``form_text`` overrides where form definitions come from (a modeler draft's edited forms); ``only`` limits
    which of the loaded processes become versions (a draft deploys its own process, not the ones it calls).
    """
    with platform.uow() as uow:
        rules = DeploymentRules(lane_roles=platform.lane_roles(uow), form_text=form_text or platform.form_source,
                                services=list(platform.runtime.services))
        try:
            loaded = load_processes(files, rules)
        except DeploymentError as err:
            uow.audit.record("process.deploy", username=deployed_by, result="refused",
                             detail={"files": sorted(files), "error": str(err)})
            uow.commit()
            raise DeploymentRefused(str(err)) from err
        if only is not None:
            loaded = [process for process in loaded if process.key in only]
        _check_submit_checks(platform, loaded)
        results = [_store(uow, process, deployed_by, comment) for process in loaded]
        uow.commit()
    return results


def _store(uow: UnitOfWork, process: LoadedProcess, deployed_by: str, comment: str = "") -> DeployResult:
    content_hash = process.content_hash
    latest = uow.processes.latest(process.key)
    if latest is not None and latest.content_hash == content_hash:
        return DeployResult(process.key, latest.version, False, latest.id)
    # Content an older version had (a roll-back) becomes a new version too: new instances start on the latest.
    number = (latest.version + 1) if latest else 1
    version = ProcessVersion(
        process_key=process.key, version=number, name=process.name, content_hash=content_hash,
        files={name: data.decode("utf-8") for name, data in process.files.items()},
        forms=process.forms, spec_json=spec_to_json(process.bundle), deployed_by=deployed_by,
        comment=comment[:500])
    uow.processes.add(version)
    uow.audit.record("process.deploy", username=deployed_by, entity="process_version", entity_id=version.id,
                     detail={"process_key": process.key, "version": version.version, "hash": content_hash,
                             "comment": comment[:500]})
    return DeployResult(process.key, version.version, True, version.id)


def _check_submit_checks(platform: Platform, loaded: list[LoadedProcess]) -> None:
    """Every check a form names must be registered, or submitting that form would fail at run time."""
    for process in loaded:
        for key, text in process.forms.items():
            for name in getattr(platform.parse_form(key, text), "checks", ()):
                if name not in platform.submit_checks:
                    known = ", ".join(sorted(platform.submit_checks)) or "none"
                    raise DeploymentRefused(f"forms/{key}.json: check '{name}' is not registered (known: {known})")


def is_deployed(platform: Platform, process_key: str) -> bool:
    with platform.reader() as uow:
        return uow.processes.latest(process_key) is not None
