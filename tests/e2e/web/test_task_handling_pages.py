"""The task page's handling over HTTP (issue 10): 转办, 催办, 撤回, 退回 with its reason, 审批意见 history."""

from __future__ import annotations

from adapters.services.platform import tasks

APPROVE = {"decision": "approve", "comment": "材料齐全，请审核"}


def test_the_assignee_hands_the_task_to_a_colleague_from_the_task_page(approval, open_task, as_user, post, people,
                                                                         wiring):
    instance_id = approval("inst_a", "C-1")
    task_id = open_task(instance_id)
    client = as_user("inst_a")
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "转办给同事" in page and "inst_b" not in page
    response = post(client, f"/tasks/{task_id}/transfer",
                    {"to_user": str(people.actor("inst_a2").user_id), "note": "请代办"})
    assert response.status_code == 302
    with wiring.platform.reader() as uow:
        assert uow.tasks.get(task_id).assignee_id == people.actor("inst_a2").user_id
    page = as_user("inst_a2").get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "审批意见" in page and "转办" in page and "请代办" in page


def test_the_submitter_withdraws_and_reminds_from_the_task_page(approval, open_task, as_user, post, people, wiring):
    instance_id = approval("inst_a", "C-2")
    submit = open_task(instance_id)
    tasks.complete(wiring.platform, people.actor("inst_a"), submit, APPROVE)
    review = open_task(instance_id)
    client = as_user("inst_a")
    assert "撤回提交" in client.get(f"/tasks/{submit}").get_data(as_text=True)
    reminded = post(client, f"/tasks/{review}/remind", {"note": "急"}, follow_redirects=True).get_data(as_text=True)
    assert "已催办" in reminded and "催办" in reminded
    again = post(client, f"/tasks/{review}/remind", {}, follow_redirects=True).get_data(as_text=True)
    assert "后可再次催办" in again
    page = post(client, f"/tasks/{submit}/withdraw", {}, follow_redirects=True).get_data(as_text=True)
    assert "已撤回" in page and "材料齐全，请审核" in page  # the form shows what was entered
    assert "审批意见" in page and "撤回" in page


def test_the_reviewer_returns_the_task_and_the_submitter_reads_the_reason(approval, open_task, as_user, post, people,
                                                                         wiring):
    instance_id = approval("inst_a", "C-3")
    submit = open_task(instance_id)
    tasks.complete(wiring.platform, people.actor("inst_a"), submit, APPROVE)
    review = open_task(instance_id)
    bureau = as_user("bureau")
    page = bureau.get(f"/tasks/{review}").get_data(as_text=True)
    assert "退回到前序步骤" in page and "提交材料" in page
    refused = post(bureau, f"/tasks/{review}/return", {"target": submit, "reason": ""}, follow_redirects=True)
    assert "请填写退回原因" in refused.get_data(as_text=True)
    post(bureau, f"/tasks/{review}/return", {"target": submit, "reason": "缺少培训计划"})
    page = as_user("inst_a").get(f"/tasks/{submit}").get_data(as_text=True)
    assert "此任务被退回" in page and "缺少培训计划" in page
    with wiring.platform.reader() as uow:
        assert uow.tasks.get(review).state == "cancelled"


def test_nobody_else_may_withdraw_return_or_transfer(approval, open_task, as_user, post, people, wiring):
    instance_id = approval("inst_a", "C-4")
    submit = open_task(instance_id)
    tasks.complete(wiring.platform, people.actor("inst_a"), submit, APPROVE)
    review = open_task(instance_id)
    other = as_user("inst_a2")
    assert "只能撤回自己已提交的任务" in post(other, f"/tasks/{submit}/withdraw", {},
                                              follow_redirects=True).get_data(as_text=True)
    # the bureau's review is not even visible to another institution user
    assert post(other, f"/tasks/{review}/return", {"target": submit, "reason": "x"},
                follow_redirects=True).status_code == 404
    with wiring.platform.reader() as uow:
        assert uow.tasks.get(review).state == "open"


def test_several_reviews_are_approved_in_one_go_and_each_result_is_listed(approval, open_task, as_user, post,
                                                                           people, wiring):
    reviews = []
    for key in ("B-1", "B-2", "B-3"):
        instance_id = approval("inst_a", key)
        tasks.complete(wiring.platform, people.actor("inst_a"), open_task(instance_id), APPROVE)
        reviews.append(open_task(instance_id))
    bureau = as_user("bureau")
    page = bureau.get("/tasks/batch").get_data(as_text=True)
    assert "审核材料" in page and page.count('name="task"') == 3
    group = page.split('name="group" value="')[1].split('"')[0]
    tasks.claim(wiring.platform, people.actor("bureau"), reviews[2])  # still fine: the bureau's own claim
    response = post(bureau, "/tasks/batch", {"group": group, "task": reviews, "decision": "return", "note": ""})
    body = response.get_data(as_text=True)
    assert "未成功 3 件" in body  # returning requires a comment: each refusal is listed with its reason
    response = post(bureau, "/tasks/batch", {"group": group, "task": reviews, "decision": "approve", "note": "同意"})
    assert "成功 3 件" in response.get_data(as_text=True)
    with wiring.platform.reader() as uow:
        assert all(uow.tasks.get(t).state == "completed" for t in reviews)


def test_the_delegate_sees_the_delegators_tasks_marked_in_the_inbox(approval, open_task, as_user, post, people,
                                                                    wiring):
    submit = open_task(approval("inst_a", "D-1"))
    tasks.claim(wiring.platform, people.actor("inst_a"), submit)
    owner = as_user("inst_a")
    refused = post(owner, "/delegations", {"to_user": str(people.actor("inst_a2").user_id),
                                           "role": "institution_staff", "ends_on": "2000-01-01"})
    assert refused.status_code == 422 and "截止日期" in refused.get_data(as_text=True)
    ends = (wiring.platform.today().replace(day=1) + __import__("datetime").timedelta(days=40)).isoformat()
    post(owner, "/delegations", {"to_user": str(people.actor("inst_a2").user_id), "role": "institution_staff",
                                 "ends_on": ends, "note": "出差"})
    inbox = as_user("inst_a2").get("/inbox/").get_data(as_text=True)
    assert "委托给我的待办" in inbox and submit in inbox
    assert "生效中" in owner.get("/delegations").get_data(as_text=True)
