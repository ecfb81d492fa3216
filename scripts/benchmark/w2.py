"""W2's database: ``open_rows`` open tasks over 200 organisations (as bench_inbox.py fills it) plus ``done_rows``
completed ones, bulk-inserted; the measured user ``hot`` belongs to the largest organisation."""

from __future__ import annotations

import datetime as dt
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_inbox import NOW, PROCESSES, build  # noqa: E402
from server import Prepared, forms_with_bench_step  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from adapters.services.bootstrap import bootstrap  # noqa: E402
from adapters.services.platform import user_admin  # noqa: E402
from adapters.services.platform.actors import SYSTEM  # noqa: E402
from storage.models import HumanTask, Organisation  # noqa: E402
from tests.support.platform import settings_for  # noqa: E402


def prepare_w2(tmp: Path, database_url: str, open_rows: int, done_rows: int) -> Prepared:
    forms = forms_with_bench_step(tmp)
    wiring = bootstrap(settings_for(tmp, database_url, forms_dir=forms))
    try:
        actors = build(wiring, open_rows)
        if database_url.startswith("postgresql"):
            with wiring.platform.uow() as uow:
                uow.session.execute(text("SELECT setval('process_instances_id_seq', "
                                         "(SELECT max(id) FROM process_instances))"))
                uow.commit()
        _completed(wiring, open_rows, done_rows, actors["hot"].user_id)
        token = user_admin.issue_api_token(wiring.platform, SYSTEM, actors["hot"].user_id)
    finally:
        wiring.dispose()
    return Prepared(database_url, tmp, forms, token, username="hot", password="Bench1234")  # noqa: S106 - bench_inbox's


def _completed(wiring, open_rows: int, done_rows: int, hot_user: int) -> None:
    rnd = random.Random(11)
    with wiring.platform.uow() as uow:
        orgs = list(uow.session.scalars(select(Organisation.id).where(Organisation.kind == "institution")))
    instances = open_rows // 10 + 1
    batch: list[dict[str, object]] = []
    for n in range(done_rows):
        instance = n % instances + 1
        created = NOW - dt.timedelta(minutes=rnd.randrange(60 * 24 * 365))
        user = hot_user if n % 200 == 0 else None  # the hot user completed 1 in 200
        batch.append({
            "id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)), "instance_id": instance,
            "process_key": PROCESSES[(instance - 1) % 5], "process_name": PROCESSES[(instance - 1) % 5],
            "bpmn_id": "task", "title": f"已办 {n}", "subject_title": f"期次 {instance - 1}",
            "business_key": f"B-{instance - 1:06d}", "lane": "institution_staff", "role_key": "institution_staff",
            "organisation_id": orgs[n % len(orgs)], "form_key": "generic_approval", "assignee_id": user,
            "state": "completed", "due_date": None, "created_at": created, "claimed_at": created,
            "completed_by_id": user, "completed_at": created + dt.timedelta(hours=2)})
        if len(batch) == 20_000:
            _flush(wiring, batch)
    _flush(wiring, batch)
    with wiring.platform.uow() as uow:
        uow.session.execute(text("ANALYZE"))
        uow.commit()


def _flush(wiring, batch: list[dict[str, object]]) -> None:
    if batch:
        with wiring.platform.uow() as uow:
            uow.session.execute(insert(HumanTask), batch)
            uow.commit()
        batch.clear()
