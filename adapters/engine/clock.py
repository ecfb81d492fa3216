"""The one clock the engine reads: timers, due checks and the timer worker all go through it.

SpiffWorkflow's timer definitions call ``datetime.now(timezone.utc)`` directly, so ``install()`` points that
module's ``datetime`` name at a subclass whose ``now`` asks this module. Tests swap the clock with ``use_clock``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _timer_module

Clock = Callable[[], _dt.datetime]


def system_clock() -> _dt.datetime:
    """The wall clock, always timezone-aware UTC."""
    return _dt.datetime.now(_dt.UTC)


_current: Clock = system_clock


def now() -> _dt.datetime:
    """The engine's current time (aware, UTC)."""
    value = _current()
    if value.tzinfo is None:
        raise ValueError("the engine clock must return timezone-aware datetimes")
    return value.astimezone(_dt.UTC)


def set_clock(clock: Clock) -> None:
    global _current
    _current = clock


@contextmanager
def use_clock(clock: Clock) -> Iterator[None]:
    """Run a block with another clock (tests inject a fixed or stepping clock)."""
    previous = _current
    set_clock(clock)
    try:
        yield
    finally:
        set_clock(previous)


class FixedClock:
    """A clock that stands still until told to move; handy for tests and benchmarks."""

    def __init__(self, start: _dt.datetime) -> None:
        self.value = start

    def __call__(self) -> _dt.datetime:
        return self.value

    def advance(self, delta: _dt.timedelta) -> None:
        self.value = self.value + delta


class _EngineDateTime(_dt.datetime):
    @classmethod
    def now(cls, tz: _dt.tzinfo | None = None) -> _dt.datetime:  # type: ignore[override]
        current = now()
        return current.astimezone(tz) if tz else current.replace(tzinfo=None)


def install() -> None:
    """Make SpiffWorkflow's timers read this clock (idempotent)."""
    _timer_module.datetime = _EngineDateTime  # type: ignore[misc]
