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


def add_rescue_bodies(wiring: Wiring, people: Directory) -> None:
    """The city exam centre and rescue team with one user each; the centre's user also runs the exam day."""
    from storage.models import Organisation

    with wiring.platform.uow() as uow:
        for code, name, kind in (("EXAM-C", "晋城市应急管理资格考试中心", "exam_centre"),
                                 ("RESCUE", "晋城市应急救援救护队", "rescue_team")):
            org = uow.directory.add_organisation(Organisation(code=code, name=name, kind=kind,
                                                              parent_id=people.orgs["CITY"], division_code="140500"))
            people.orgs[code] = org.id
        uow.commit()
    wiring.platform.forget_lanes()
    directory.create_user(wiring.platform, username="centre", display_name="centre", password=PASSWORD,
                          organisation_code="EXAM-C", role_keys=("exam_centre_staff", "exam_site_staff"))
    directory.create_user(wiring.platform, username="rescue", display_name="rescue", password=PASSWORD,
                          organisation_code="RESCUE", role_keys=("rescue_team_staff",))


def enter_team_leader_validity(wiring: Wiring, years: int = 3) -> None:
    from storage.models import RuleValue

    with wiring.platform.uow() as uow:
        uow.reference.add_rule_value(RuleValue(key="team_leader_certificate_validity_years", value=years,
                                               effective_from=dt.date(2021, 9, 16), source="测试：市局规定"))
        uow.commit()
    wiring.reference.invalidate()


def certificates_xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    from adapters.render.enterprise_sheets import CERTIFICATES

    return template(CERTIFICATES, rows)
