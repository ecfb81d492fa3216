"""Demo data for the embedded default: the bureau, six county bureaus, institutions, exam sites, enterprises and
one user per role with a known password, so a newcomer can sign in as each role and walk a process."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from adapters.rules.idnumbers import check_character
from adapters.services.enterprises import demo as enterprises_demo
from adapters.services.issuance.context import IssuanceContext
from adapters.services.platform import Platform, directory
from adapters.services.platform.actors import Actor
from adapters.services.platform.reference import ReferenceCache
from storage.models import Organisation
from storage.repositories.issuance import IssuanceRepository

DEMO_PASSWORD = "Anpei2026"  # noqa: S105 - printed by the run command on purpose


@dataclass(frozen=True)
class DemoOrg:
    code: str
    name: str
    kind: str
    parent: str | None
    division: str
    supervision: str | None = None
    industry: str | None = None
    high_risk: bool = False


ORGANISATIONS = (
    DemoOrg("JC-EMB", "晋城市应急管理局", "city_bureau", None, "140500"),
    DemoOrg("JC-CQ", "城区应急管理局", "county_bureau", "JC-EMB", "140502"),
    DemoOrg("JC-QS", "沁水县应急管理局", "county_bureau", "JC-EMB", "140521"),
    DemoOrg("JC-YC", "阳城县应急管理局", "county_bureau", "JC-EMB", "140522"),
    DemoOrg("JC-LC", "陵川县应急管理局", "county_bureau", "JC-EMB", "140524"),
    DemoOrg("JC-ZZ", "泽州县应急管理局", "county_bureau", "JC-EMB", "140525"),
    DemoOrg("JC-GP", "高平市应急管理局", "county_bureau", "JC-EMB", "140581"),
    DemoOrg("JC-EXAM", "晋城市应急管理资格考试中心", "exam_centre", "JC-EMB", "140500"),
    DemoOrg("JC-RESCUE", "晋城市应急救援救护队", "rescue_team", "JC-EMB", "140500"),
    DemoOrg("INST-TX", "晋城市通安安全培训学校", "institution", "JC-EMB", "140500"),
    DemoOrg("INST-ZZ", "泽州县安泰职业技能培训中心", "institution", "JC-ZZ", "140525"),
    DemoOrg("SITE-CQ", "晋城市城区安全生产考试点", "exam_site", "JC-EMB", "140502"),
    DemoOrg("SITE-GP", "高平市安全生产考试点", "exam_site", "JC-GP", "140581"),
    DemoOrg("ENT-LH", "晋城蓝焰煤业股份有限公司", "enterprise", "JC-EMB", "140500", "city", "煤矿", True),
    DemoOrg("ENT-TH", "泽州县天泓化工有限公司", "enterprise", "JC-ZZ", "140525", "county", "危险化学品", True),
    DemoOrg("ENT-JZ", "高平市聚智机械制造有限公司", "enterprise", "JC-GP", "140581", "county", "机械制造", False),
)

# username, display name, organisation code, roles, admin
USERS = (
    ("admin", "系统管理员", "JC-EMB", (), True),
    ("jiaoyu", "王科长（市局教育训练科）", "JC-EMB", ("bureau_training", "process_owner"), False),
    ("zezhou", "李主任（泽州县应急管理局）", "JC-ZZ", ("county_bureau",), False),
    ("tongan", "张老师（通安培训学校）", "INST-TX", ("institution_staff",), False),
    ("antai", "赵老师（安泰培训中心）", "INST-ZZ", ("institution_staff",), False),
    ("kaodian", "刘考务（城区考点）", "SITE-CQ", ("exam_site_staff",), False),
    ("gaoping", "陈考务（高平考点）", "SITE-GP", ("exam_site_staff",), False),
    ("kaoshi", "孙老师（资格考试中心）", "JC-EXAM", ("exam_centre_staff",), False),
    ("jiuhu", "周队长（救援救护队）", "JC-RESCUE", ("rescue_team_staff",), False),
    ("lanyan", "吴安全员（蓝焰煤业）", "ENT-LH", ("enterprise_staff",), False),
)


def load_demo(platform: Platform) -> list[tuple[str, str, str]]:
    """Create what is missing (idempotent); returns (username, display name, password) of the demo users."""
    with platform.uow() as uow:
        ids: dict[str, int] = {o.code: o.id for o in uow.directory.organisations()}
        for org in ORGANISATIONS:
            if org.code not in ids:
                row = uow.directory.add_organisation(Organisation(
                    code=org.code, name=org.name, kind=org.kind, parent_id=ids.get(org.parent or ""),
                    division_code=org.division, supervision_level=org.supervision, industry=org.industry,
                    high_risk=org.high_risk))
                ids[org.code] = row.id
        existing = {u.username for u in uow.directory.users()}
        uow.audit.record("demo.load", detail={"organisations": len(ids)})
        uow.commit()
    for username, name, org_code, roles, admin in USERS:
        if username not in existing:
            directory.create_user(platform, username=username, display_name=name, password=DEMO_PASSWORD,
                                  organisation_code=org_code, role_keys=roles, is_admin=admin, created_by="demo")
    platform.forget_lanes()
    family_users = enterprises_demo.load(platform)  # each process family adds its records and users
    return [(username, name, DEMO_PASSWORD) for username, name, *_ in USERS] + family_users


DEMO_CLASS_NO = "演示-低压电工-01"
# Demo trainees are marked as such in their names and employer; their ID numbers are generated with a valid
# checksum for an unused sequence range so the forms accept them — they identify nobody.
DEMO_TRAINEES = (
    ("演示学员·王一", "19880314", "high_school", False),
    ("演示学员·李二", "19920708", "junior_college", False),
    ("演示学员·张三", "19850122", "secondary_vocational", True),
    ("演示学员·赵四", "19950930", "bachelor", False),
)


def demo_id_number(birth: str, sequence: int) -> str:
    first_17 = f"140502{birth}{900 + sequence:03d}"
    return first_17 + check_character(first_17)


def load_demo_class(ctx: IssuanceContext, institution_user: Actor) -> str | None:
    """Register one demo class that ended on the last working day, so its archive task is waiting (idempotent)."""
    from adapters.services.issuance import classes

    with ctx.platform.reader() as uow:
        if IssuanceRepository(uow.session).class_by_number(institution_user.organisation_id, DEMO_CLASS_NO):
            return None
    today = ctx.platform.today()
    calendar = ReferenceCache(ctx.platform.reader).calendar()
    end = today - dt.timedelta(days=1)
    while not calendar.is_workday(end):
        end -= dt.timedelta(days=1)
    trainees = [classes.TraineeInput(name=name, id_number=demo_id_number(birth, i), education=education,
                                     job_type="1.2", training_kind="initial", employer="演示企业（非真实单位）",
                                     coal_mine=coal)
                for i, (name, birth, education, coal) in enumerate(DEMO_TRAINEES)]
    class_id = classes.register_class(ctx, institution_user, class_no=DEMO_CLASS_NO, job_type="1.2",
                                      training_kind="initial", start_date=end - dt.timedelta(days=11), end_date=end,
                                      trainees=trainees, location="晋城市通安安全培训学校 教学楼 201 室（演示）")
    classes.start_issuance(ctx, institution_user, class_id)
    return DEMO_CLASS_NO
