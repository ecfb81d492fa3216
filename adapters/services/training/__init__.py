"""Certificate issuance for a training class (S1–S3, A1): classes, archives, exams, certificates, deadlines.

Pages call the use cases of the submodules with a ``TrainingContext`` (``training_context(wiring)``); the
BPMN diagrams ``certificate_issuance`` and ``exam_with_resit`` call the services ``install`` registers.
"""

from __future__ import annotations

from typing import Any

from adapters.services.training.context import TrainingContext, training_context
from adapters.services.training.service_tasks import register

__all__ = ["TrainingContext", "install", "training_context"]


def install(wiring: Any) -> TrainingContext:
    """Register the training services and submit checks on the wiring's platform; returns the context."""
    ctx = training_context(wiring)
    register(ctx)
    return ctx
