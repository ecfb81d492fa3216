"""Demo data of the enterprises family for the embedded default: records of the demo enterprises, a supervisor
per supervising bureau, the enterprise and exam-centre users, and one suspended enterprise whose roster task waits.

Credit codes and ID numbers are generated with valid checksums in unused ranges; they identify nobody.
"""

from __future__ import annotations

import datetime as dt
import io

from adapters.rules.creditcodes import credit_check_character
from adapters.services.enterprises import suspensions
from adapters.services.enterprises.context import EnterprisesContext, repo
from adapters.services.platform import Platform, directory, documents
from adapters.services.platform.directory import actor_by_username
from storage.models import RuleValue
from storage.models_enterprises import EnterpriseRecord

PASSWORD = "Anpei2026"  # noqa: S105 - the demo password printed by the run command
# organisation code, industry code, county bureau code, address
RECORDS = (
    ("ENT-LH", "coal", "JC-ZZ", "晋城市泽州县（演示地址）"),
    ("ENT-TH", "hazardous_chemicals", "JC-ZZ", "晋城市泽州县（演示地址）"),
    ("ENT-JZ", "machinery", "JC-GP", "高平市（演示地址）"),
)
# username, display name, organisation code, roles
USERS = (
    ("jianguan", "钱科长（市局监管·企业）", "JC-EMB", ("supervising_bureau",)),
    ("zzjianguan", "孙股长（泽州县局监管）", "JC-ZZ", ("supervising_bureau",)),
    ("tianhong", "郑安全员（天泓化工）", "ENT-TH", ("enterprise_staff",)),
    ("kaowu", "冯考务（资格考试中心）", "JC-EXAM", ("exam_centre_staff", "exam_site_staff")),
)
DEMO_PDF = b"%PDF-1.4\n% demo order - not a real document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def demo_credit_code(n: int) -> str:
    first = f"91140500MA0{900000 + n:06d}"
    return first + credit_check_character(first)


def load(platform: Platform) -> list[tuple[str, str, str]]:
    """Records and users that are missing (idempotent); returns the demo sign-ins added by this family."""
    with platform.uow() as uow:
        ents = repo(uow)
        codes = {o.code: o for o in uow.directory.organisations()}
        for n, (code, industry, county, address) in enumerate(RECORDS, start=1):
            org = codes.get(code)
            if org is not None and ents.record(org.id) is None:
                ents.add(EnterpriseRecord(organisation_id=org.id, credit_code=demo_credit_code(n), address=address,
                                          industry_code=industry, county_bureau_id=codes[county].id))
        if not any(r.key == "team_leader_certificate_validity_years" for r in uow.reference.rule_values()):
            uow.reference.add_rule_value(RuleValue(key="team_leader_certificate_validity_years", value=3,
                                                   effective_from=dt.date(2021, 9, 16),
                                                   source="演示值：以市局规定为准", updated_by="demo"))
        existing = {u.username for u in uow.directory.users()}
        uow.commit()
    for username, name, org_code, roles in USERS:
        if username not in existing and org_code in codes:
            directory.create_user(platform, username=username, display_name=name, password=PASSWORD,
                                  organisation_code=org_code, role_keys=roles, created_by="demo")
    platform.forget_lanes()
    return [(username, name, PASSWORD) for username, name, *_ in USERS]


def load_case(ctx: EnterprisesContext) -> str | None:
    """Suspend the demo chemicals enterprise (its roster task waits in tianhong's inbox); idempotent."""
    bureau = actor_by_username(ctx.platform, "zzjianguan")
    with ctx.platform.reader() as uow:
        org = uow.directory.organisation_by_code("ENT-TH")
        if org is None or repo(uow).cases(enterprise_ids=[org.id]):
            return None
        enterprise_id = org.id
    today = ctx.today()
    item = suspensions.SuspensionInput(enterprise_id, "major_hazard", "泽应急停〔演示〕1号", today)
    suspensions.suspend(ctx, bureau, item, documents.Upload(io.BytesIO(DEMO_PDF), "演示-停产整顿指令.pdf"))
    return "泽州县天泓化工有限公司"
