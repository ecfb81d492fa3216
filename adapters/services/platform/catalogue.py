"""What the modeler's properties panel offers: roles (lanes), forms, operators, processes, functions, variables."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from adapters.engine.bpmn_diff import elements
from adapters.services.platform import Platform, choice_sources
from adapters.services.platform.actors import Actor
from adapters.services.platform.drafts import own_file, require_owner
from adapters.services.platform.setup import PROCESS_OWNER
from adapters.services.platform.validation import operator_parameters
from forms.labels import label_for
from forms.loader import FormRegistry

FUNCTIONS = {
    "add_working_days": ("add_working_days(date, n)", "date 之后第 n 个工作日（按工作日历，跳过节假日）"),
    "working_days_late": ("working_days_late(due, done)", "done 比 due 晚了几个工作日（未晚为 0）"),
    "rule": ("rule(key)", "当前生效的规则值，例如 rule('archive_deadline_days')"),
    "today": ("today()", "今天的日期（北京时间，ISO 格式）"),
}


def _label(fn: Any, name: str) -> str:
    doc = (getattr(fn, "__doc__", None) or "").strip().splitlines()
    return doc[0] if doc else name


def _variables(xml: str, forms: FormRegistry) -> list[str]:
    """Names a diagram assigns in scripts or collects with date fields (best effort, for the due-date helper)."""
    names: set[str] = set()
    for props in elements(xml).values():
        for key, text in props.items():
            if key in ("script", "postScript", "preScript"):
                try:
                    tree = ast.parse(text)
                except SyntaxError:
                    continue
                names |= {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign)
                          for t in n.targets if isinstance(t, ast.Name)}
            if key == "formKey" and forms.exists(text):
                try:
                    names |= {f.name for f in forms.get(text).fields if f.type in ("date", "datetime")}
                except Exception:  # noqa: S112 - a broken form is reported by validation, not here
                    continue
    return sorted(names)


def catalogue(platform: Platform, actor: Actor, forms: FormRegistry, templates_file: Path,
              process_key: str | None = None) -> dict[str, Any]:
    require_owner(actor)
    with platform.reader() as uow:
        roles = [{"key": r.key, "name": r.lane_name, "title": r.name} for r in uow.directory.roles()
                 if r.key != PROCESS_OWNER]
        latest = list(uow.processes.latest_of_each())
        processes = [{"key": v.process_key, "name": v.name} for v in latest]
        version = uow.processes.latest(process_key) if process_key else None
        xml = own_file(version)[1] if version else ""
        pinned = {k: t for v in latest for k, t in (uow.processes.get(v.id).forms or {}).items()}  # type: ignore[union-attr]
    texts = dict.fromkeys(forms.keys()) | pinned  # noqa: SIM118 - a FormRegistry, not a dict
    form_rows = []
    for key, text in sorted(texts.items()):
        try:
            definition = forms.get(key) if text is None else platform.parse_form(key, text)
            form_rows.append({"key": key, "title": label_for(definition.title, "zh")})
        except Exception:  # a broken form file is listed by key so it can be opened and fixed
            form_rows.append({"key": key, "title": key})
    operators = [{"name": name, "label": _label(fn, name), "params": operator_parameters(fn)}
                 for name, fn in sorted(platform.runtime.services.items())]
    functions = [{"name": name, "signature": FUNCTIONS.get(name, (f"{name}()", ""))[0],
                  "doc": FUNCTIONS.get(name, ("", ""))[1]} for name in sorted(platform.runtime.function_names)]
    templates = json.loads(templates_file.read_text(encoding="utf-8")) if templates_file.is_file() else []
    return {"roles": roles, "forms": form_rows, "operators": operators, "processes": processes,
            "functions": functions, "variables": _variables(xml, forms) if xml else [],
            "templates": templates, "choice_sources": choice_sources.catalogue()}
