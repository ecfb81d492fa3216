"""Path tests of ``team_leader_certification`` (S4) with the called ``exam_with_resit``: applications route to the
city or the enterprise's county by supervision level, each bureau numbers in its own sequence, renewals need a
current certificate (imported or issued) and a rejected application ends without an exam."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.services.enterprises import records, team_leaders
from adapters.services.enterprises.team_leaders import ApplicantInput
from adapters.services.issuance import scores
from adapters.services.issuance.scores import ScoreEntry
from adapters.services.platform.errors import Forbidden, InvalidData
from tests.support.enterprises import add_enterprises, certificates_xlsx, ctx_of, enter_team_leader_validity
from tests.support.issuance import complete, id_number, name_of, open_task, set_day
from tests.support.issuance import ctx_of as training_ctx

EXAM = dt.date(2026, 3, 10)


class Applications:
    def __init__(self, wiring, people, clock) -> None:
        self.wiring, self.people, self.clock = wiring, people, clock
        self.ids = add_enterprises(wiring, people)
        enter_team_leader_validity(wiring)
        self.ctx = ctx_of(wiring)
        set_day(clock, dt.date(2026, 3, 2))

    def apply(self, user: str, kind: str, numbers: range) -> team_leaders.ApplicationRow:
        people = [ApplicantInput(name_of(n), id_number(n)) for n in numbers]
        application_id = team_leaders.apply(self.ctx, self.people.actor(user), kind, people)
        return team_leaders.applications(self.ctx, self.people.actor("admin"), application_id)[0]

    def step(self, user: str, instance_id: int, bpmn_id: str, data: dict) -> str:
        return complete(self.wiring, self.people.actor(user), instance_id, bpmn_id, data)

    def examine(self, bureau: str, row: team_leaders.ApplicationRow, marks: list[float]) -> str:
        self.step(bureau, row.instance_id, "review_application", {"decision": "approve"})
        self.step(bureau, row.instance_id, "schedule_exam", {"exam_site_code": "SITE-1",
                                                             "exam_date": EXAM.isoformat()})
        with self.wiring.platform.reader() as uow:
            class_id = int(uow.instances.get(row.instance_id).subject["class_id"])
        set_day(self.clock, EXAM)
        site, tctx = self.people.actor("site"), training_ctx(self.wiring)
        rows = scores.score_sheet(tctx, site, class_id).rows
        scores.record_scores(tctx, site, class_id, [ScoreEntry(r.trainee_id, m) for r, m in zip(rows, marks, strict=True)])
        return self.step("site", row.instance_id, "main_scores", {"confirmed": True})


@pytest.fixture
def apps(diagrams, people, fixed_clock) -> Applications:
    return Applications(diagrams, people, fixed_clock)


def candidate(wiring, row, bpmn_id: str) -> int:
    return open_task(wiring, _admin(wiring), row.instance_id, bpmn_id).organisation_id


def _admin(wiring):
    from adapters.services.platform.directory import actor_by_username

    return actor_by_username(wiring.platform, "admin")


def test_s4_city_and_county_enterprises_are_routed_to_their_own_bureau_and_numbered_separately(apps, people):
    county = apps.apply("ent_zz", "initial", range(1, 3))
    city = apps.apply("ent_city", "initial", range(3, 5))
    assert candidate(apps.wiring, county, "review_application") == people.orgs["ZZ"]
    assert candidate(apps.wiring, city, "review_application") == people.orgs["CITY"]
    with pytest.raises(Forbidden):  # the city cannot work on the county's task
        apps.step("sup_city", county.instance_id, "review_application", {"decision": "approve"})
    assert apps.examine("sup_zz", county, [90, 85]) == "completed"
    set_day(apps.clock, dt.date(2026, 3, 2))
    assert apps.examine("sup_city", city, [88, 95]) == "completed"
    admin = people.actor("admin")
    [county_row] = team_leaders.applications(apps.ctx, admin, county.id)
    [city_row] = team_leaders.applications(apps.ctx, admin, city.id)
    assert sorted(p[3] for p in county_row.people) == ["BZZ140525-2026-000001", "BZZ140525-2026-000002"]
    assert sorted(p[3] for p in city_row.people) == ["BZZ140500-2026-000001", "BZZ140500-2026-000002"]


def test_s4_a_changed_supervision_level_routes_new_work_only_and_is_audited(apps, people):
    row = apps.apply("ent_zz", "initial", range(1, 2))
    records.change_supervision(apps.ctx, people.actor("admin"), people.orgs["ENT-ZZ"], "city", people.orgs["ZZ"])
    assert candidate(apps.wiring, row, "review_application") == people.orgs["ZZ"]  # the open task stays
    later = apps.apply("ent_zz", "initial", range(2, 3))
    assert candidate(apps.wiring, later, "review_application") == people.orgs["CITY"]
    with apps.wiring.platform.reader() as uow:
        [change] = [e for e in uow.audit.latest() if e.action == "enterprise.supervision.change"]
    assert change.username == "admin" and change.detail["before"]["level"] == "county"
    assert change.detail["after"]["level"] == "city"


def test_s4_renewal_finds_imported_certificates_and_refuses_expired_or_unknown_ones(apps, people):
    sheet = certificates_xlsx([
        ("BZZ140525-2023-000007", name_of(1), id_number(1), "泽州某化工有限公司", "2023-05-01", "2026-05-01"),
        ("BZZ140525-2020-000003", name_of(2), id_number(2), "泽州某化工有限公司", "2020-01-10", "2023-01-10")])
    assert team_leaders.import_certificates(apps.ctx, people.actor("sup_zz"), sheet) == (2, [])
    with pytest.raises(InvalidData) as refused:
        apps.apply("ent_zz", "renewal", range(1, 4))
    errors = refused.value.errors
    assert set(errors) == {"people[1]", "people[2]"}
    assert "已于 2023-01-10 过期" in errors["people[1]"] and "未找到" in errors["people[2]"]
    row = apps.apply("ent_zz", "renewal", range(1, 2))
    assert row.people[0][2] == "BZZ140525-2023-000007"
    apps.examine("sup_zz", row, [91])
    renewed = team_leaders.applications(apps.ctx, people.actor("admin"), row.id)[0]
    assert renewed.people[0][3].startswith("BZZ140525-2026-")
    again = apps.apply("ent_zz", "renewal", range(1, 2))  # the issued certificate is now the current one
    assert again.people[0][2] == renewed.people[0][3]


def test_s4_a_rejected_application_ends_without_an_exam(apps, people):
    row = apps.apply("ent_zz", "initial", range(1, 2))
    with pytest.raises(InvalidData):
        apps.step("sup_zz", row.instance_id, "review_application", {"decision": "reject"})  # comment required
    assert apps.step("sup_zz", row.instance_id, "review_application",
                     {"decision": "reject", "comment": "非本企业班组长"}) == "completed"
    assert team_leaders.applications(apps.ctx, people.actor("admin"), row.id)[0].status == "rejected"


def test_every_element_of_team_leader_certification_was_reached(reached):
    assert reached.missing("team_leader_certification") == set()
