"""Domain tables of the measure (classes, trainees, exams, certificates, calendar, rules)."""

from __future__ import annotations

from storage.models import Base  # noqa: F401 - tables are added here as the measure's processes arrive
