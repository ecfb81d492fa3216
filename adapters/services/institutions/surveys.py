"""The quarterly enterprise survey (S7–S9, A2): an institution adds one A2 form per enterprise visited, each with
on-site photos and the signature scan of the enterprise's head or HR, then files the report signed by its head.

A form is checked whole before anything is stored; the documents go through the platform's document slots
(sniffed, bounded, hashed, thumbnailed) and the form row is written only when all of them were accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from adapters.rules.institutions import SURVEY_METHODS
from adapters.rules.quarters import quarter_bounds
from adapters.services.institutions.context import (
    InstitutionsContext,
    is_bureau,
    read,
    require_institution,
    unit,
)
from adapters.services.platform import documents
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData, NotFound
from storage.models_institutions import InstitutionSurvey, SurveyEnterpriseForm
from storage.repositories.institutions import InstitutionsRepository
from storage.uow import UnitOfWork

# A2 text fields: name, label, maximum length.
A2_TEXT = (("enterprise_name", "企业名称", 200), ("industry", "所属行业", 100), ("address", "企业地址", 200),
           ("enterprise_head", "企业负责人", 50), ("phone", "联系电话", 30), ("surveyors", "调研人员", 200),
           ("content", "调研内容", 5000), ("needs", "企业需求", 5000))
MAX_PHOTOS = 10


@dataclass(frozen=True)
class SurveyView:
    survey: InstitutionSurvey
    institution: str
    forms: Sequence[SurveyEnterpriseForm]
    minimum: int
    open_task_id: str | None = None


def visible_survey(repo: InstitutionsRepository, actor: Actor, survey_id: int) -> InstitutionSurvey:
    survey = repo.survey(survey_id)
    if survey is None or not (is_bureau(actor) or actor.organisation_id == survey.organisation_id):
        raise NotFound(f"调研 {survey_id} 不存在")
    return survey


def survey_view(ctx: InstitutionsContext, actor: Actor, survey_id: int) -> SurveyView:
    def run(uow: UnitOfWork, repo: InstitutionsRepository) -> SurveyView:
        survey = visible_survey(repo, actor, survey_id)
        org = repo.organisation(survey.organisation_id)
        task = next((t for t in uow.tasks.open_for_instance(survey.instance_id)), None) if survey.instance_id else None
        return SurveyView(survey, org.name if org else "", list(repo.forms(survey.id)),
                          ctx.rule("survey_min_enterprises", survey.due_date), task.id if task else None)
    return read(ctx, run)


def clean_a2(fields: Mapping[str, str], year: int, quarter: int) -> dict[str, object]:
    """Every A2 field is required; the visit date lies inside the survey's quarter. Errors name the field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, object] = {}
    for name, label, limit in A2_TEXT:
        value = str(fields.get(name) or "").strip()
        if not value:
            errors[name] = f"请填写{label}"
        elif len(value) > limit:
            errors[name] = f"{label}不能超过{limit}个字"
        cleaned[name] = value
    method = str(fields.get("survey_method") or "")
    if method not in SURVEY_METHODS:
        errors["survey_method"] = "请选择调研方式"
    cleaned["survey_method"] = method
    first, last = quarter_bounds(year, quarter)
    try:
        visit = dt.date.fromisoformat(str(fields.get("visit_date") or ""))
        if not first <= visit <= last:
            errors["visit_date"] = f"调研日期须在本季度内（{first} 至 {last}）"
        cleaned["visit_date"] = visit
    except ValueError:
        errors["visit_date"] = "请填写调研日期"
    if errors:
        raise InvalidData(errors, "调研表未保存")
    return cleaned


def add_enterprise_form(ctx: InstitutionsContext, actor: Actor, survey_id: int, fields: Mapping[str, str],
                        photos: Sequence[documents.Upload], signature: documents.Upload | None) -> int:
    """S8/S9/A2: store one enterprise's A2 form with its photos and signature scan; returns the form id."""
    def check(_uow: UnitOfWork, repo: InstitutionsRepository) -> tuple[InstitutionSurvey, dict[str, object]]:
        survey = visible_survey(repo, actor, survey_id)
        require_institution(actor, survey.organisation_id)
        if survey.filed_on is not None:
            raise InvalidData({"survey": "本季度调研报告已报送，不能再添加调研表"}, "调研表未保存")
        errors = {}
        try:
            cleaned = clean_a2(fields, survey.year, survey.quarter)
        except InvalidData as err:
            errors, cleaned = dict(err.errors), {}
        if not photos:
            errors["photos"] = "请上传调研现场照片"
        elif len(photos) > MAX_PHOTOS:
            errors["photos"] = f"现场照片最多{MAX_PHOTOS}张"
        if signature is None:
            errors["signature"] = "请上传企业负责人或人力资源/培训负责人签字的调研表扫描件"
        if errors:
            raise InvalidData(errors, "调研表未保存")
        return survey, cleaned

    survey, cleaned = read(ctx, check)
    assert signature is not None
    def attach(upload: documents.Upload, field: str, allowed: frozenset[str] = documents.DEFAULT_TYPES) -> int:
        return documents.attach(ctx.platform, ctx.objects, actor, upload, max_bytes=ctx.upload_max_bytes,
                                allowed=allowed, organisation_id=survey.organisation_id,
                                instance_id=survey.instance_id, field=field)

    photo_ids = [attach(p, "photos", frozenset({documents.JPEG, documents.PNG})) for p in photos]
    signature_id = attach(signature, "signature")
    with unit(ctx) as (uow, repo):
        form = SurveyEnterpriseForm(survey_id=survey.id, signature_document_id=signature_id,
                                    photo_document_ids=photo_ids, **cleaned)
        repo.add(form)
        uow.commit()
        return form.id


def remove_enterprise_form(ctx: InstitutionsContext, actor: Actor, form_id: int) -> None:
    with unit(ctx) as (uow, repo):
        form = repo.session.get(SurveyEnterpriseForm, form_id)
        survey = visible_survey(repo, actor, form.survey_id) if form else None
        if form is None or survey is None:
            raise NotFound(f"调研表 {form_id} 不存在")
        require_institution(actor, survey.organisation_id)
        if survey.filed_on is not None:
            raise InvalidData({"survey": "本季度调研报告已报送，调研表不能再删除"})
        repo.session.delete(form)
        uow.commit()


def surveys_of(ctx: InstitutionsContext, actor: Actor) -> list[tuple[InstitutionSurvey, str]]:
    """The bureau sees every institution's surveys; an institution its own."""
    def run(_uow: UnitOfWork, repo: InstitutionsRepository) -> list[tuple[InstitutionSurvey, str]]:
        rows = repo.surveys(organisation_id=None if is_bureau(actor) else actor.organisation_id)
        names = {o.id: o.name for o in repo.organisations_of_kind("institution")}
        return [(s, names.get(s.organisation_id, "")) for s in rows]
    return read(ctx, run)
