"""The class archive (S1, A1.1–A1.2): exactly which documents each trainee needs, and submission blocked until
complete."""

from __future__ import annotations

import pytest

from adapters.services.issuance import archive
from adapters.services.platform.errors import InvalidData, NotFound
from tests.support.issuance import CLASS_ITEMS, name_of, trainee, upload


def required_keys(ctx, actor, class_id):
    return [sorted(k for k, _ in t.required) for t in archive.archive_status(ctx, actor, class_id).trainees]


@pytest.mark.parametrize(("profile", "expected"), [
    (dict(education="high_school"), ["diploma_copy", "id_card_copy", "personal_commitment"]),
    (dict(education="secondary_vocational"), ["diploma_copy", "id_card_copy", "personal_commitment"]),
    (dict(education="junior_college"), ["chsi_record", "id_card_copy"]),
    (dict(education="bachelor", job_type="principal_leader"), ["appointment_document", "chsi_record", "id_card_copy"]),
    (dict(education="bachelor", job_type="safety_manager", kind="renewal"),
     ["annual_retraining_proof", "appointment_document", "chsi_record", "id_card_copy", "previous_certificate"]),
    (dict(education="junior_college", job_type="principal_leader", hazardous_chemicals_key_unit=True,
          newly_appointed=True),
     ["appointment_document", "chemical_qualification", "chsi_record", "id_card_copy"]),
    (dict(education="high_school", job_type="5.3"),
     ["coal_work_experience", "diploma_copy", "id_card_copy", "personal_commitment"]),
    (dict(education="high_school", job_type="1.1", coal_mine=True),
     ["coal_work_experience", "diploma_copy", "id_card_copy", "personal_commitment"]),
    (dict(education="bachelor", job_type="team_leader"), ["chsi_record", "id_card_copy"]),
])
def test_a1_2_each_category_of_trainee_needs_its_own_documents(ctx, inst, new_class, profile, expected):
    class_id = new_class([trainee(1, **profile)])
    assert required_keys(ctx, inst, class_id) == [expected]


def test_a1_2_completeness_lists_exactly_what_is_missing_per_trainee(ctx, inst, new_class):
    class_id = new_class([trainee(1, education="bachelor"), trainee(2)])
    status = archive.archive_status(ctx, inst, class_id)
    first, second = status.trainees
    upload(ctx, inst, trainee_id=first.trainee_id, key="chsi_record")
    upload(ctx, inst, trainee_id=second.trainee_id, key="id_card_copy")
    for key in CLASS_ITEMS[:3]:
        upload(ctx, inst, class_id=class_id, key=key)
    status = archive.archive_status(ctx, inst, class_id)
    assert not status.complete
    assert [k for k, _ in status.trainees[0].missing] == ["id_card_copy"]
    assert [k for k, _ in status.trainees[1].missing] == ["diploma_copy", "personal_commitment"]
    errors = status.errors()
    assert errors["class_archive"] == "期次档案缺少：学员学时证明"
    assert errors[f"trainee_{second.trainee_id}"] == f"学员{name_of(2)}（140502********0022）缺少：毕业证复印件、个人承诺书"


def test_a1_1_class_items_and_a1_2_files_together_make_the_archive_complete(ctx, inst, new_class):
    from tests.support.issuance import complete_archive

    class_id = new_class()
    complete_archive(ctx, inst, class_id)
    assert archive.archive_status(ctx, inst, class_id).complete


def test_a1_2_a_document_the_trainee_does_not_need_is_refused(ctx, inst, new_class):
    class_id = new_class([trainee(1, education="bachelor")])
    trainee_id = archive.archive_status(ctx, inst, class_id).trainees[0].trainee_id
    with pytest.raises(InvalidData) as refused:
        upload(ctx, inst, trainee_id=trainee_id, key="diploma_copy")
    assert "不需要提交" in refused.value.errors["requirement_key"]


def test_only_the_class_institution_uploads_its_archive(ctx, people, new_class):
    class_id = new_class()
    with pytest.raises(NotFound):  # another institution does not even learn that the class exists
        upload(ctx, people.actor("inst_b"), class_id=class_id, key="training_plan")


def test_eligibility_warnings_are_shown_to_the_reviewer(ctx, inst, new_class):
    class_id = new_class([trainee(1, job_type="9.1", education="junior_middle")])
    [item] = archive.archive_status(ctx, inst, class_id).trainees
    assert item.warnings == ["危险化学品特种作业人员应具备高中或者相当于高中及以上文化程度"]


def test_the_class_page_lists_each_trainees_files_and_the_class_items(ctx, inst, bureau, new_class):
    from adapters.services.issuance import views

    class_id = new_class([trainee(1, education="bachelor")])
    trainee_id = archive.archive_status(ctx, inst, class_id).trainees[0].trainee_id
    upload(ctx, inst, trainee_id=trainee_id, key="chsi_record")
    upload(ctx, inst, class_id=class_id, key="training_plan")
    assert [(f.key, f.label) for f in views.trainee_files(ctx, bureau, trainee_id)] == [
        ("chsi_record", "学信网备案表（教育部学历证书电子注册备案表）")]
    assert [f.label for f in views.class_files(ctx, bureau, class_id)] == ["安全培训计划表（附课程学时安排表）"]
