"""The platform every process family builds on: processes, instances, tasks, the inbox, documents, accounts,
reference data, notifications and the calendar. It knows no family; families plug in through ``Platform`` hooks,
registered services and submit checks."""

from __future__ import annotations

from adapters.services.platform.core import FormCheck, Platform, SubmitCheck

__all__ = ["FormCheck", "Platform", "SubmitCheck"]
