"""``SERVER_TIMING=1``: every response carries a ``Server-Timing`` header with the request's SQL statement count
and time and the total server time, so operators (and ``scripts/bench``) see where a request's time goes."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, g

from storage.db import StatementCounter


def init_app(app: Flask, engine: Any) -> None:
    counter = StatementCounter(engine)

    @app.before_request
    def _start() -> None:
        counter.reset()
        g.server_timing_started = time.perf_counter()

    @app.after_request
    def _header(response: Response) -> Response:
        started = g.get("server_timing_started")
        if started is not None:
            statements, seconds = counter.read()
            total = (time.perf_counter() - started) * 1000
            response.headers["Server-Timing"] = (f'sql;desc="{statements} statements";dur={seconds * 1000:.2f}, '
                                                 f"app;dur={total:.2f}")
        return response
