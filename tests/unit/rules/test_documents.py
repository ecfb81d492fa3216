"""Archive checklists (A1.1, A1.2, A1.4) and education eligibility."""

import pytest

from adapters.rules.documents import (
    DocumentRequirement,
    TraineeProfile,
    class_archive_items,
    eligibility_problems,
    exam_archive_items,
    missing_documents,
    trainee_required_documents,
)


def profile(job_type="1.1", training_kind="initial", education="high_school", **flags):
    return TraineeProfile(job_type, training_kind, education, **flags)


def keys(requirements):
    return [requirement.key for requirement in requirements]


def keys_of(items):
    return [key for key, _label in items]


def test_a1_1_class_archive_has_four_items():
    assert keys_of(class_archive_items()) == [
        "approval_form", "training_plan", "trainee_summary", "training_hours_proof"
    ]


def test_a1_4_exam_archive_has_records_for_each_main_and_resit():
    assert keys_of(exam_archive_items()) == [
        "exam_plan", "theory_main_record", "theory_resit_record",
        "practical_main_record", "practical_resit_record", "score_summary",
    ]


@pytest.mark.parametrize("education", ["junior_middle", "high_school", "secondary_vocational"])
def test_a1_2_up_to_secondary_vocational_needs_diploma_copy_and_commitment(education):
    assert keys(trainee_required_documents(profile(education=education))) == [
        "diploma_copy", "personal_commitment", "id_card_copy"
    ]


@pytest.mark.parametrize("education", ["junior_college", "bachelor", "master", "doctor"])
def test_a1_2_junior_college_and_above_needs_the_chsi_record(education):
    assert keys(trainee_required_documents(profile(education=education))) == ["chsi_record", "id_card_copy"]


def test_a1_2_requirements_cite_their_clause():
    required = trainee_required_documents(profile(education="bachelor"))
    assert required[0] == DocumentRequirement(
        "chsi_record", "学信网备案表（教育部学历证书电子注册备案表）", "A1.2(1)"
    )
    assert required[1].rule_id == "A1.2(2)"


@pytest.mark.parametrize("job_type", ["principal_leader", "safety_manager"])
def test_a1_2_3_leaders_need_an_appointment_document(job_type):
    assert "appointment_document" in keys(trainee_required_documents(profile(job_type=job_type)))


def test_a1_2_team_leaders_need_only_education_and_id():
    assert keys(trainee_required_documents(profile(job_type="team_leader", training_kind="renewal"))) == [
        "diploma_copy", "personal_commitment", "id_card_copy"
    ]


def test_a1_2_4_coal_special_operations_need_coal_work_experience():
    assert "coal_work_experience" in keys(trainee_required_documents(profile(job_type="5.1")))
    assert "coal_work_experience" in keys(trainee_required_documents(profile(job_type="1.2", coal_mine=True)))
    assert "coal_work_experience" not in keys(trainee_required_documents(profile(job_type="1.2")))


def test_a1_2_4_coal_mine_leaders_do_not_need_coal_work_experience():
    required = trainee_required_documents(profile(job_type="safety_manager", coal_mine=True))
    assert "coal_work_experience" not in keys(required)


def test_a1_2_5_new_leaders_of_key_hazardous_chemicals_units_need_a_chemical_qualification():
    new = profile(job_type="principal_leader", hazardous_chemicals_key_unit=True, newly_appointed=True)
    serving = profile(job_type="principal_leader", hazardous_chemicals_key_unit=True)
    assert "chemical_qualification" in keys(trainee_required_documents(new))
    assert "chemical_qualification" not in keys(trainee_required_documents(serving))


def test_a1_2_6_renewing_leaders_need_old_certificate_and_yearly_hours():
    required = keys(trainee_required_documents(profile(job_type="safety_manager", training_kind="renewal")))
    assert required[-2:] == ["previous_certificate", "annual_retraining_proof"]
    initial = keys(trainee_required_documents(profile(job_type="safety_manager")))
    assert "previous_certificate" not in initial


def test_missing_documents_lists_required_keys_not_present():
    required = trainee_required_documents(profile(job_type="principal_leader", education="bachelor"))
    missing = missing_documents(required, ["chsi_record", "unrelated"])
    assert keys(missing) == ["id_card_copy", "appointment_document"]
    assert missing_documents(required, keys(required)) == []


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [("job_type", {"job_type": "welder"}), ("training_kind", {"training_kind": "refresher"}),
     ("education", {"education": "primary"})],
)
def test_profile_rejects_unknown_values_naming_the_field(field, kwargs):
    with pytest.raises(ValueError, match=field):
        profile(**kwargs)


def test_hazardous_chemicals_special_operations_need_high_school():
    assert eligibility_problems(profile(job_type="9.1", education="junior_middle")) == [
        "危险化学品特种作业人员应具备高中或者相当于高中及以上文化程度"
    ]
    assert eligibility_problems(profile(job_type="9.1", education="secondary_vocational")) == []


def test_coal_special_operations_accept_junior_middle_but_new_posts_need_high_school():
    assert eligibility_problems(profile(job_type="5.2", education="junior_middle")) == []
    problems = eligibility_problems(profile(job_type="5.2", education="junior_middle", newly_appointed=True))
    assert len(problems) == 1 and "新上岗的煤矿特种作业人员" in problems[0]


def test_new_leaders_of_key_hazardous_chemicals_units_below_junior_college_get_a_warning():
    new = dict(job_type="safety_manager", hazardous_chemicals_key_unit=True, newly_appointed=True)
    assert len(eligibility_problems(profile(education="high_school", **new))) == 1
    assert eligibility_problems(profile(education="junior_college", **new)) == []
