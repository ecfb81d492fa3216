"""The working-day calendar and rule values over HTTP and the command line (A1.3, A1.4, S4); admins only."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from adapters.rules.workdays import year_days
from storage.models import AuditEntry
from tests.integration.test_calendar_admin import year_rows

CALENDAR = "/admin/reference/calendar"
RULES = "/admin/reference/rules"


@pytest.fixture
def admin(login):
    return login("admin")


def csv_bytes(rows: list[list[str]]) -> bytes:
    return ("date,kind,note\r\n" + "".join(",".join(row) + "\r\n" for row in rows)).encode("utf-8")


def stored_years(wiring) -> dict[int, int]:
    with wiring.platform.reader() as uow:
        return uow.reference.calendar_years()


def last_action(wiring) -> str:
    with wiring.platform.uow() as uow:
        return uow.session.query(AuditEntry).order_by(AuditEntry.id.desc()).first().action


@pytest.mark.parametrize("url", [CALENDAR, f"{CALENDAR}/2026", f"{CALENDAR}/2026.csv", f"{CALENDAR}/2027/edit",
                                 f"{CALENDAR}/new?year=2027", RULES])
def test_other_users_do_not_find_the_reference_pages(login, url):
    assert login("bureau").get(url).status_code == 404


@pytest.mark.parametrize("url", [f"{CALENDAR}/import", f"{CALENDAR}/2027/edit", f"{CALENDAR}/2026/day", RULES])
def test_other_users_cannot_change_reference_data(login, post, url):
    assert post(login("inst_a"), url, {"key": "exam_pass_mark", "value": "1"}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(CALENDAR)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_admin_menu_links_to_the_calendar_and_the_rules(admin):
    page = admin.get("/admin/roles").get_data(as_text=True)
    assert f'href="{CALENDAR}"' in page and f'href="{RULES}"' in page


def test_the_overview_warns_that_next_year_is_missing(admin, fixed_clock):
    page = admin.get(CALENDAR).get_data(as_text=True)
    assert "2027 年的工作日历尚未录入" in page and "2026" in page


def test_a_new_year_is_drafted_edited_in_the_grid_and_saved_whole(admin, post, wiring, app):
    """A1.3: after 2027 is entered with its New Year holiday, a deadline crossing into it is computed."""
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["calendar", "add-working-days", "2026-12-28", "5"])
    assert refused.exit_code == 1 and "2027 年的工作日历尚未录入" in refused.output

    assert admin.get(f"{CALENDAR}/new?year=2027").headers["Location"].endswith(f"{CALENDAR}/2027/edit")
    draft = admin.get(f"{CALENDAR}/2027/edit").get_data(as_text=True)
    assert 'value="2027-01-04" checked' in draft and 'value="2027-01-02" checked' not in draft
    work = [d.isoformat() for d in year_days(2027) if d.weekday() < 5 and d != dt.date(2027, 1, 1)]
    response = post(admin, f"{CALENDAR}/2027/edit", {"work": work, "notes": "2027-01-01 元旦"})

    assert response.status_code == 302 and response.headers["Location"].endswith(f"{CALENDAR}/2027")
    assert stored_years(wiring)[2027] == 365
    page = admin.get(f"{CALENDAR}/2027").get_data(as_text=True)
    assert 'class="d k-holiday" data-day="2027-01-01"' in page and "元旦" in page
    done = runner.invoke(args=["calendar", "add-working-days", "2026-12-28", "5"])
    assert done.exit_code == 0 and done.output.strip() == "2027-01-05"
    assert last_action(wiring) == "calendar.save_year"


def test_notes_outside_the_year_are_refused_and_nothing_is_saved(admin, post, wiring):
    response = post(admin, f"{CALENDAR}/2027/edit", {"work": ["2027-01-04"], "notes": "2028-01-01 元旦\nxx"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "备注第 2 行" in page
    assert 2027 not in stored_years(wiring)


def test_an_incomplete_import_stores_nothing_and_names_the_rows(admin, post, wiring):
    rows = year_rows(2027)[:40]
    rows[2] = ["2027-13-01", "workday", ""]
    response = post(admin, f"{CALENDAR}/import", {"file": (io.BytesIO(csv_bytes(rows)), "2027.csv")},
                    content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第 4 行：日期“2027-13-01”无效" in page
    assert 2027 not in stored_years(wiring)

    rows = year_rows(2027)[:40]
    response = post(admin, f"{CALENDAR}/import", {"file": (io.BytesIO(csv_bytes(rows)), "2027.csv")},
                    content_type="multipart/form-data")
    assert response.status_code == 422 and "2027 年不完整：还缺 325 天" in response.get_data(as_text=True)
    assert 2027 not in stored_years(wiring)


def test_a_whole_year_imports_and_downloads_again(admin, post, wiring):
    rows = year_rows(2027, {dt.date(2027, 1, 1): "元旦"})
    response = post(admin, f"{CALENDAR}/import", {"file": (io.BytesIO(csv_bytes(rows)), "2027.csv")},
                    content_type="multipart/form-data")
    assert response.status_code == 302 and stored_years(wiring)[2027] == 365

    download = admin.get(f"{CALENDAR}/2027.csv")
    assert download.mimetype == "text/csv"
    assert "2027-01-01,holiday,元旦" in download.get_data().decode("utf-8-sig")


def test_one_day_of_a_complete_year_is_corrected(admin, post, wiring):
    response = post(admin, f"{CALENDAR}/2026/day", {"day": "2026-12-31", "kind": "holiday", "note": "临时放假"})
    assert response.status_code == 302
    assert 'data-day="2026-12-31" data-kind="holiday" data-note="临时放假"' in admin.get(
        f"{CALENDAR}/2026").get_data(as_text=True)
    assert last_action(wiring) == "calendar.set_day"

    wrong_year = post(admin, f"{CALENDAR}/2026/day", {"day": "2025-12-31", "kind": "holiday"})
    assert wrong_year.status_code == 422


def test_the_rules_page_highlights_the_value_in_force_and_shows_unset_rules(admin, fixed_clock):
    page = admin.get(RULES).get_data(as_text=True)
    assert 'class="in-force"' in page
    assert "team_leader_certificate_validity_years" in page and "未设置" in page


def test_an_overlapping_rule_value_is_refused_on_the_page(admin, post, wiring):
    response = post(admin, RULES, {"key": "exam_pass_mark", "value": "85", "effective_from": "2027-01-01"})
    assert response.status_code == 422 and "生效期间重叠" in response.get_data(as_text=True)


def test_a_new_rule_value_from_a_date_closes_the_old_one(admin, post, wiring):
    response = post(admin, RULES, {"key": "exam_pass_mark", "value": "85", "effective_from": "2027-01-01",
                                   "source": "新规定", "close_open": "1"})
    assert response.status_code == 302
    rulebook = wiring.reference.rulebook()
    assert rulebook.value("exam_pass_mark", dt.date(2026, 12, 31)) == 80
    assert rulebook.value("exam_pass_mark", dt.date(2027, 1, 1)) == 85


# -- command line ----------------------------------------------------------------------------------------
def test_calendar_import_on_the_command_line_names_bad_rows_and_imports_a_whole_year(app, wiring, tmp_path):
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    rows = year_rows(2027)
    rows[0] = ["2027-01-01", "假", ""]
    bad.write_bytes(csv_bytes(rows))
    refused = runner.invoke(args=["calendar", "import", str(bad)])
    assert refused.exit_code == 1 and "第 2 行：类型“假”无法识别" in refused.output
    assert 2027 not in stored_years(wiring)

    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(year_rows(2027, {dt.date(2027, 1, 1): "元旦"})))
    result = runner.invoke(args=["calendar", "import", str(good), "--as", "admin"])
    assert result.exit_code == 0, result.output
    assert stored_years(wiring)[2027] == 365
    assert runner.invoke(args=["calendar", "add-working-days", "2026-12-31", "1"]).output.strip() == "2027-01-04"


def test_rules_set_on_the_command_line_refuses_overlaps_and_adds_a_value(app, wiring):
    runner = app.test_cli_runner()
    overlap = runner.invoke(args=["rules", "set", "exam_pass_mark", "85", "--from", "2027-01-01"])
    assert overlap.exit_code == 1 and "生效期间重叠" in overlap.output

    added = runner.invoke(args=["rules", "set", "team_leader_certificate_validity_years", "3", "--from", "2021-09-16",
                                "--source", "市局规定"])
    assert added.exit_code == 0, added.output
    assert wiring.reference.rulebook().value("team_leader_certificate_validity_years", dt.date(2026, 3, 2)) == 3
    listed = runner.invoke(args=["rules", "list"]).output
    assert "team_leader_certificate_validity_years\t3\t2021-09-16..open *" in listed
