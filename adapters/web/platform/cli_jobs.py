"""``flask --app wsgi jobs …``: the background-job worker, and the job list for operators."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from adapters.queue.huey_queue import HueyQueue, Sweeper
from adapters.services.bootstrap import Wiring
from adapters.services.platform import jobs
from adapters.services.platform.actors import SYSTEM

jobs_cli = AppGroup("jobs", help="Background jobs (certificate PDFs, e-mail, imports, migrations).")


def register(app: Flask) -> None:
    app.cli.add_command(jobs_cli)


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Run every due job in this process, then exit.")
@click.option("--workers", type=int, default=None, help="Worker threads (default: JOB_WORKERS).")
@click.option("--sweep-interval", default=5.0, show_default=True,
              help="Seconds between sweeps for lost or due jobs.")
def jobs_run(once: bool, workers: int | None, sweep_interval: float) -> None:
    """Run background jobs from the queue (several workers on several hosts may run at once)."""
    wiring: Wiring = current_app.extensions["anpei"]
    platform = wiring.platform
    if once or not isinstance(wiring.queue, HueyQueue):
        click.echo(f"ran {jobs.run_due(platform, limit=10_000)} job(s)")
        return
    queue = wiring.queue
    consumer = queue.consumer(lambda job_id: jobs.execute(platform, job_id), workers=workers or
                              wiring.settings.job_workers)
    sweeper = Sweeper(lambda: jobs.sweep(platform), queue.dispatch, interval=sweep_interval)
    sweeper.start()
    click.echo(f"job worker: {wiring.settings.job_queue} queue, {consumer.workers} thread(s)")
    try:
        consumer.run()
    finally:
        sweeper.stop()


@jobs_cli.command("list")
@click.option("--state", type=click.Choice(["pending", "running", "done", "failed"]), default=None)
def jobs_list(state: str | None) -> None:
    """The latest jobs with their state, attempts and last error."""
    views, counts = jobs.listing(current_app.extensions["anpei"].platform, SYSTEM, state=state)
    click.echo("  ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "no jobs")
    for job in views:
        error = (job.last_error or "").splitlines()[0] if job.last_error else ""
        click.echo(f"{job.id}\t{job.kind}\t{job.subject or ''}\t{job.state}\t{job.attempts}/{job.max_attempts}"
                   f"\t{job.progress_done}/{job.progress_total}\t{error}")
