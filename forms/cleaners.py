"""Per-type conversion of one submitted value into a JSON-safe workflow value, or a Chinese error."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from adapters.rules.idnumbers import validate_id_number, validate_mobile
from forms.definition import FieldDefinition
from forms.labels import label_for

Cleaned = tuple[object, str | None]

BAD_FORMAT = "格式不正确"
MAX_FILES = 50
# Browsers and JSON lose precision above 2**53; such a number is a typing error on a form.
SAFE_INTEGER = 2**53 - 1
_INTEGER = re.compile(r"[+-]?[0-9]{1,16}")
_DECIMAL = re.compile(r"[+-]?[0-9]{1,15}(\.[0-9]{1,12})?")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DATETIME = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
_TRUE = frozenset({"y", "yes", "on", "true", "1", "是"})
_FALSE = frozenset({"n", "no", "off", "false", "0", "否"})


def is_blank(raw: object) -> bool:
    """Return True for a value that counts as "not filled in"."""
    if isinstance(raw, str):
        return not raw.strip()
    return raw is None or (isinstance(raw, list | tuple) and not raw)


def empty_value(field: FieldDefinition) -> object:
    """Return the cleaned value of a field left empty."""
    if field.type == "boolean":
        return False
    if field.type in ("multichoice", "table") or (field.type == "file" and field.multiple):
        return []
    return None


def clean_value(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    """Return (cleaned value, None) or (empty value, Chinese error) for one non-table field."""
    if field.type != "boolean" and is_blank(raw):
        return empty_value(field), None
    value, error = _CLEANERS[field.type](field, raw, today)
    return (empty_value(field), error) if error else (value, None)


def _string(raw: object) -> Cleaned:
    if not isinstance(raw, str):
        return None, BAD_FORMAT
    if "\x00" in raw:
        return None, "含有不允许的字符"
    # Browsers post CRLF; counting characters must not depend on the client's line endings.
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip(), None


def _normalised(raw: object) -> str | None:
    # NFKC turns full-width digits, letters and "＠" typed with a Chinese IME into ASCII.
    return unicodedata.normalize("NFKC", raw).strip() if isinstance(raw, str) and "\x00" not in raw else None


def _text(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    value, error = _string(raw)
    if error or not isinstance(value, str):
        return None, error
    if field.max_length is not None and len(value) > field.max_length:
        return None, f"不能超过 {field.max_length} 个字（当前 {len(value)} 个）"
    if field.min_length is not None and len(value) < field.min_length:
        return None, f"至少 {field.min_length} 个字"
    if field.pattern is not None and not field.pattern.fullmatch(value):
        return None, label_for(field.pattern_message, "zh") or BAD_FORMAT
    return value, None


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _range_error(field: FieldDefinition, value: int | Decimal) -> str | None:
    if field.min is not None and value < field.min:
        return f"不能小于 {_number_text(field.min)}"
    if field.max is not None and value > field.max:
        return f"不能大于 {_number_text(field.max)}"
    return None


def _integer(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    text = _normalised(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    elif text is not None and _INTEGER.fullmatch(text):
        number = int(text)
    else:
        return None, "请输入整数"
    if abs(number) > SAFE_INTEGER:
        return None, "数值超出范围"
    return number, _range_error(field, number)


def _decimal(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    text = _normalised(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        text = repr(raw) if isinstance(raw, float) else str(raw)
    if text is None or not _DECIMAL.fullmatch(text):
        return None, "请输入数字"
    number = Decimal(text)
    if number.is_zero():
        number = abs(number)  # so "-0" is stored like any other zero
    places = -int(number.as_tuple().exponent)
    if places > field.places:
        return None, f"最多保留 {field.places} 位小数" if field.places else "请输入整数"
    error = _range_error(field, number)
    # A fixed-places string: Decimal cannot go into workflow JSON and float would round.
    return format(number.quantize(Decimal(1).scaleb(-field.places)), "f"), error


def _limit(value: str | None, today: date) -> date | None:
    if value is None:
        return None
    return today if value == "today" else date.fromisoformat(value)


def _date_limit_error(field: FieldDefinition, day: date, today: date) -> str | None:
    low, high = _limit(field.date_min, today), _limit(field.date_max, today)
    if low is not None and day < low:
        return f"不能早于{'今天' if field.date_min == 'today' else ''} {low.isoformat()}"
    if high is not None and day > high:
        return f"不能晚于{'今天' if field.date_max == 'today' else ''} {high.isoformat()}"
    return None


def _parts(pattern: re.Pattern[str], raw: object) -> list[int] | None:
    text = _normalised(raw)
    match = pattern.fullmatch(text.replace("/", "-")) if text is not None else None
    return [int(part or 0) for part in match.groups()] if match else None


def _date(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    parts = _parts(_DATE, raw)
    try:
        day = date(*parts) if parts else None
    except ValueError:
        day = None
    if type(raw) is date:  # a datetime is a date too, but its time would be dropped silently
        day = raw
    if not isinstance(day, date):
        return None, "请输入有效日期，格式如 2024-05-01"
    return day.isoformat(), _date_limit_error(field, day, today)


def _datetime(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    parts = _parts(_DATETIME, raw)
    try:
        moment = datetime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]) if parts else None
    except ValueError:
        moment = None
    if isinstance(raw, datetime) and raw.tzinfo is None:
        moment = raw
    if not isinstance(moment, datetime):
        return None, "请输入有效的日期和时间，格式如 2024-05-01 09:30"
    return moment.isoformat(timespec="seconds"), _date_limit_error(field, moment.date(), today)


def _boolean(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    if raw is None or isinstance(raw, bool):
        return bool(raw), None
    if isinstance(raw, int) and raw in (0, 1):
        return raw == 1, None
    text = raw.strip().lower() if isinstance(raw, str) else None
    if text is not None and (text in _TRUE or text in _FALSE or not text):
        return text in _TRUE, None
    return False, "请选择是或否"


def _choice(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    if isinstance(raw, str) and raw.strip() in field.choice_values:
        return raw.strip(), None
    return None, "请从给定选项中选择"


def _multichoice(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    items = [item for item in (raw if isinstance(raw, list | tuple) else [raw]) if not is_blank(item)]
    chosen = {item.strip() for item in items if isinstance(item, str)}
    if len(items) > len(field.choices) * 2 or not all(isinstance(item, str) for item in items):
        return [], BAD_FORMAT
    if chosen - set(field.choice_values):
        return [], "包含无效的选项"
    # Choice order, not click order, so equal selections give equal workflow data.
    return [value for value in field.choice_values if value in chosen], None


def _id_number(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    text = _normalised(raw)
    if text is None:
        return None, BAD_FORMAT
    number = text.upper()
    return number, validate_id_number(number, today)


def _mobile(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    text = _normalised(raw)
    if text is None:
        return None, BAD_FORMAT
    number = re.sub(r"[\s-]", "", text)
    return number, validate_mobile(number)


def _email(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    text = _normalised(raw)
    if text is None or len(text) > 254 or not _EMAIL.fullmatch(text):
        return None, "邮箱地址格式不正确"
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}", None


def _document_id(raw: object) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 < raw <= SAFE_INTEGER else None
    text = raw.strip() if isinstance(raw, str) else ""
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) <= 15 and int(text) > 0 else None


def _file(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    items = [item for item in (raw if isinstance(raw, list | tuple) else [raw]) if not is_blank(item)]
    if not field.multiple and len(items) > 1:
        return None, "只能上传一个文件"
    if len(items) > MAX_FILES:
        return None, f"最多上传 {MAX_FILES} 个文件"
    ids = [_document_id(item) for item in items]
    valid = [doc for doc in ids if doc is not None]
    if len(valid) != len(ids):
        return None, "文件编号无效"
    unique = list(dict.fromkeys(valid))
    return (unique if field.multiple else unique[0]), None


def _hidden(field: FieldDefinition, raw: object, today: date) -> Cleaned:
    if field.value_type == "integer":
        return _integer(field, raw, today)
    return _text(field, raw, today)


_CLEANERS: dict[str, Callable[[FieldDefinition, object, date], Cleaned]] = {
    "text": _text, "textarea": _text, "integer": _integer, "decimal": _decimal, "date": _date,
    "datetime": _datetime, "boolean": _boolean, "choice": _choice, "multichoice": _multichoice,
    "id_number": _id_number, "mobile": _mobile, "email": _email, "file": _file, "hidden": _hidden,
}
