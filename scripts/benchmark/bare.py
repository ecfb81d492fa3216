"""The bare engine on the W1 diagram, in the benchmark's own process: the floor our latency is compared with."""

from __future__ import annotations

import statistics
import time

from server import PROCESS, STEPS, Prepared, wiring_for
from workloads import SUBMIT, pct

from adapters.engine.serializer import state_to_json


def bare_engine(prepared: Prepared, instances: int) -> dict[str, dict[str, float]]:
    """Per task: complete the ready task (in memory), and restore + complete + serialize (state round trip)."""
    wiring = wiring_for(prepared)
    try:
        with wiring.platform.uow() as uow:
            version = uow.processes.latest(PROCESS)
            assert version is not None
            spec_json = version.spec_json
            bundle = wiring.platform.runtime.bundle(version.id, lambda: spec_json)
        runtime = wiring.platform.runtime
        out: dict[str, dict[str, float]] = {}
        for label, persist in (("in memory", False), ("with state serialization", True)):
            per_task: list[float] = []
            for n in range(instances + 5):
                instance = runtime.start(bundle, {"organisation_id": 1})
                state = state_to_json(instance.workflow) if persist else ""
                for _ in range(STEPS):
                    t0 = time.perf_counter()
                    if persist:
                        instance = runtime.restore(bundle, state)
                    ready = instance.snapshot().ready_tasks[0]
                    instance.complete(ready.task_id, dict(SUBMIT))
                    if persist:
                        state = state_to_json(instance.workflow)
                    if n >= 5:
                        per_task.append((time.perf_counter() - t0) * 1000)
                assert instance.workflow.is_completed()
            out[label] = {"median_ms": round(statistics.median(per_task), 3), "p95_ms": round(pct(per_task, 95), 3)}
        return out
    finally:
        wiring.dispose()
