"""Database set-up: migrations plus the reference data every installation needs (roles, calendar, rules)."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.services.platform import Platform
from adapters.services.platform.reference import seed_reference_data
from storage.migrate import upgrade
from storage.models import Role


@dataclass(frozen=True)
class RoleSpec:
    key: str
    name: str
    lane: str
    organisation_kind: str


PROCESS_OWNER = "process_owner"
# A BPMN lane maps to a role by the lane's name; process owners pick lanes from this list.
ROLES = (
    RoleSpec("institution_staff", "培训机构经办人", "培训机构", "institution"),
    RoleSpec("bureau_training", "市局教育训练科", "市局教育训练科", "city_bureau"),
    RoleSpec("county_bureau", "县级应急管理局", "县级应急管理局", "county_bureau"),
    RoleSpec("exam_site_staff", "考点工作人员", "考点", "exam_site"),
    RoleSpec("exam_centre_staff", "资格考试中心", "考试中心", "exam_centre"),
    RoleSpec("rescue_team_staff", "应急救援救护队", "救援救护队", "rescue_team"),
    RoleSpec("enterprise_staff", "企业安全管理人员", "企业", "enterprise"),
    # Changes processes in the modeler (drafts, deployment, versions, migration); not a lane of any process.
    RoleSpec(PROCESS_OWNER, "流程管理员", "流程管理员", "city_bureau"),
    # The bureau supervising an enterprise (city or county by its supervision level, S4–S5); tasks of this lane
    # always name their organisation (computed from the enterprise record).
    RoleSpec("supervising_bureau", "属地监管部门（市局或县局）", "监管局", "city_bureau"),
)


def upgrade_database(platform: Platform, database_url: str) -> dict[str, int]:
    """Run migrations, then add missing roles, calendar years and rule values (idempotent)."""
    upgrade(database_url)
    with platform.uow() as uow:
        added = 0
        for spec in ROLES:
            if uow.directory.role(spec.key) is None:
                uow.directory.add_role(Role(key=spec.key, name=spec.name, lane_name=spec.lane,
                                           organisation_kind=spec.organisation_kind))
                added += 1
        days, rules = seed_reference_data(uow)
        uow.commit()
    platform.forget_lanes()
    return {"roles": added, "calendar_days": days, "rule_values": rules}
