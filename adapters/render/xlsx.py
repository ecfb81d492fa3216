"""xlsx templates, readers and reports in one import: trainee import, score entry, score summary."""

from adapters.render.score_sheet import ABSENT, read_score_rows, score_import_template
from adapters.render.score_summary import score_summary_xlsx
from adapters.render.trainee_sheet import EDUCATION_LEVELS, read_trainee_rows, trainee_import_template
from adapters.render.xlsx_common import ImportResult, RowError

__all__ = [
    "ABSENT",
    "EDUCATION_LEVELS",
    "ImportResult",
    "RowError",
    "read_score_rows",
    "read_trainee_rows",
    "score_import_template",
    "score_summary_xlsx",
    "trainee_import_template",
]
