"""Errors the use cases raise; the web layer and the command line map each to a status and a message."""

from __future__ import annotations

from collections.abc import Mapping


class ServiceError(Exception):
    """Base class of use-case errors."""


class NotFound(ServiceError):
    """The thing does not exist, or the actor may not know it exists."""


class Forbidden(ServiceError):
    """The actor may see the thing but not do this to it."""


class Conflict(ServiceError):
    """Someone else changed it first (task already completed, claimed, instance moved on)."""


class InvalidData(ServiceError):
    """Submitted data failed validation; ``errors`` maps field names to messages."""

    def __init__(self, errors: Mapping[str, str], message: str = "提交的数据有误") -> None:
        self.errors = dict(errors)
        names = ", ".join(sorted(self.errors))
        super().__init__(f"{message}: {names}")


class DeploymentRefused(ServiceError):
    """A diagram could not be deployed; the message names file, element and reason."""
