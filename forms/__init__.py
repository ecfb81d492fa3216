"""Low-code forms: one JSON definition per user-task form, loaded, validated and rendered.

The names below are the pure part (standard library only); the WTForms adapter is `forms.wtf`.
"""

from forms.definition import FieldDefinition, FormDefinition, ShowItem, parse_form
from forms.errors import FormDefinitionError, FormNotFoundError
from forms.formpost import from_form_post
from forms.labels import label_for
from forms.loader import FormRegistry, load_form_text
from forms.validation import ValidationResult, validate

__all__ = [
    "FieldDefinition", "FormDefinition", "FormDefinitionError", "FormNotFoundError", "FormRegistry",
    "ShowItem", "ValidationResult", "from_form_post", "label_for", "load_form_text", "parse_form", "validate",
]
