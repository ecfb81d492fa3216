"""Certificate issuance for a training class (S1–S3, A1): classes, archives, exams, certificates, deadlines.

Pages call the use cases of the submodules with a ``IssuanceContext`` (``issuance_context(wiring)``); the
BPMN diagrams ``certificate_issuance`` and ``exam_with_resit`` call the services ``install`` registers.
"""

from __future__ import annotations

import functools
from typing import Any

from adapters.services.issuance import certificate_pdfs, indicators
from adapters.services.issuance.context import IssuanceContext, issuance_context
from adapters.services.issuance.issuance import RENDER_CERTIFICATES
from adapters.services.issuance.service_tasks import register
from adapters.services.platform import jobs

__all__ = ["IssuanceContext", "install", "issuance_context"]


def install(wiring: Any) -> IssuanceContext:
    """Register the issuance services, submit checks and jobs on the wiring's platform; returns the context."""
    ctx = issuance_context(wiring)
    register(ctx)
    indicators.register(ctx)
    jobs.register(ctx.platform, RENDER_CERTIFICATES, functools.partial(certificate_pdfs.render_class_job, ctx))
    return ctx
