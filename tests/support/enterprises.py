"""Helpers for the enterprises tests: enterprises and their users, rosters as xlsx, a suspension moved along."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from adapters.render.enterprise_sheets import ROSTER, template
from adapters.rules.creditcodes import credit_check_character
from adapters.services.bootstrap import Wiring
from adapters.services.enterprises import enterprises_context
from adapters.services.enterprises.context import EnterprisesContext
from adapters.services.enterprises.records import EnterpriseInput, register_enterprise
from adapters.services.platform import directory, documents
from adapters.services.platform.actors import Actor
from tests.support.issuance import PDF_BYTES, id_number, name_of
from tests.support.platform import PASSWORD, Directory


def credit_code(n: int, division: str = "140500") -> str:
    first = f"91{division}MA0{n:06d}"
    return first + credit_check_character(first)


ENTERPRISES = (
    # key, name, industry, level
    ("ENT-CITY", "晋城某煤业有限公司", "coal", "city"),
    ("ENT-ZZ", "泽州某化工有限公司", "hazardous_chemicals", "county"),
    ("ENT-LOW", "晋城某机械有限公司", "machinery", "county"),
)
USERS = (
    ("sup_city", "CITY", "supervising_bureau"),
    ("sup_zz", "ZZ", "supervising_bureau"),
)


def add_enterprises(wiring: Wiring, people: Directory) -> dict[str, int]:
    """The three enterprises (in 泽州县) and a supervisor per bureau plus one user per enterprise."""
    ctx = enterprises_context(wiring)
    admin = people.actor("admin")
    ids = {}
    for n, (key, name, industry, level) in enumerate(ENTERPRISES, start=1):
        ids[key] = register_enterprise(ctx, admin, EnterpriseInput(credit_code(n), name, "晋城市泽州县", industry,
                                                                   level, people.orgs["ZZ"]))
    with wiring.platform.uow() as uow:
        codes = {o.id: o.code for o in uow.directory.organisations()}
    for username, org, role in USERS:
        directory.create_user(wiring.platform, username=username, display_name=username, password=PASSWORD,
                              organisation_code=org, role_keys=(role,))
    for key, org_id in ids.items():
        directory.create_user(wiring.platform, username=key.lower().replace("-", "_"), display_name=key,
                              password=PASSWORD, organisation_code=codes[org_id], role_keys=("enterprise_staff",))
    people.orgs.update(ids)
    return ids


def ctx_of(wiring: Wiring) -> EnterprisesContext:
    return enterprises_context(wiring)


def roster_xlsx(count: int, *, start: int = 1, extra: Sequence[Sequence[Any]] = ()) -> bytes:
    rows = [(name_of(n), id_number(n), "采煤工") for n in range(start, start + count)]
    return template(ROSTER, [*rows, *extra])


def pdf(name: str = "order.pdf") -> documents.Upload:
    return documents.Upload(io.BytesIO(PDF_BYTES), name)


def actor(people: Directory, username: str) -> Actor:
    return people.actor(username)


ORDER_DAY = dt.date(2026, 3, 2)
