"""Fixtures of the training use-case tests: the context, the three lanes' users and a class factory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from adapters.services.issuance import classes
from adapters.services.issuance.classes import TraineeInput
from adapters.services.issuance.context import IssuanceContext
from tests.support.issuance import ctx_of, deploy_training, set_day, trainee


@pytest.fixture
def ctx(wiring, people, fixed_clock) -> IssuanceContext:
    set_day(fixed_clock, dt.date(2026, 3, 9))
    return ctx_of(wiring)


@pytest.fixture
def inst(people):
    return people.actor("inst_a")


@pytest.fixture
def bureau(people):
    return people.actor("bureau")


@pytest.fixture
def site(people):
    return people.actor("site")


@pytest.fixture
def deployed(wiring):
    deploy_training(wiring)
    return wiring


NewClass = Callable[..., int]


@pytest.fixture
def new_class(ctx, inst) -> NewClass:
    counter = {"n": 0}

    def make(trainees: list[TraineeInput] | None = None, *, end: dt.date = dt.date(2026, 3, 6),
             job_type: str = "1.2", **kwargs) -> int:
        counter["n"] += 1
        return classes.register_class(
            ctx, inst, class_no=f"T-{counter['n']:03d}", job_type=job_type, training_kind="initial",
            start_date=end - dt.timedelta(days=4), end_date=end,
            trainees=trainees if trainees is not None else [trainee(1), trainee(2)], **kwargs)

    return make
