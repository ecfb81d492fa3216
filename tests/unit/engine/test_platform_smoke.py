from adapters.services.platform import deploy, instances, tasks
from tests.support.bpmn import approval_process


def test_a_deployed_process_runs_from_start_to_end_through_the_inbox(wiring, people):
    platform = wiring.platform
    [result] = deploy.deploy(platform, {"approval.bpmn": approval_process()}, "admin")
    assert result.version == 1 and result.changed
    inst = people.actor("inst_a")
    instance_id = instances.start_instance(platform, inst, "approval", business_key="C-1")
    view = instances.show_instance(platform, inst, instance_id)
    [submit] = view.active_tasks
    assert submit.organisation_id == people.orgs["INST-A"]
    tasks.complete(platform, inst, submit.id, {"decision": "approve"})
    bureau = people.actor("bureau")
    [review] = instances.show_instance(platform, bureau, instance_id).active_tasks
    assert review.role_key == "bureau_training"
    status = tasks.complete(platform, bureau, review.id, {"decision": "approve"})
    assert status == "completed"
