"""Errors raised by the engine layer; each names the element it is about."""

from __future__ import annotations


class EngineError(Exception):
    """Base class for every error the engine layer raises."""


class DeploymentError(EngineError):
    """A BPMN/DMN file cannot be deployed; names the file, the element and the reason."""

    def __init__(self, reason: str, *, file: str = "", element: str = "", line: int | None = None) -> None:
        self.reason = reason
        self.file = file
        self.element = element
        self.line = line
        where = ":".join(part for part in (file, str(line) if line else "") if part)
        prefix = f"{where}: " if where else ""
        elem = f"element '{element}': " if element else ""
        super().__init__(f"{prefix}{elem}{reason}")


class ScriptPolicyError(EngineError):
    """A script or expression uses something the sandbox forbids."""


class ScriptBudgetExceeded(EngineError):
    """A script ran longer (in time or steps) than the sandbox allows."""


class TaskNotReady(EngineError):
    """The task exists but is not READY (future, waiting, completed or cancelled)."""


class UnknownTask(EngineError):
    """No task with that id exists in the instance."""


class StepFailed(EngineError):
    """Running the engine failed at one element; the instance gets an incident."""

    def __init__(self, element: str, message: str) -> None:
        self.element = element
        self.message = message
        super().__init__(f"{element}: {message}")


class ServiceFailed(EngineError):
    """A service task's adapter raised; the message is the adapter's own."""


class EventNotExpected(EngineError):
    """A message was sent to an instance that is not waiting for it."""
