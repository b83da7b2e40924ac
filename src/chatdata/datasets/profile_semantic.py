"""Semantic column types, set only where the evidence is clear.

From the sampled values, the column header and the whole-column figures: `id`,
`category`, `email`, `phone`, `url`, `date` (text that looks like dates), `currency`,
`percentage`, `free_text`, or the PII kind of a PII column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chatdata.datasets.pii_headers import header_tokens

VALUE_SHARE_THRESHOLD = 0.8
CATEGORY_MAX_DISTINCT = 1000
CATEGORY_MAX_DISTINCT_SHARE = 0.5
FREE_TEXT_MIN_AVG_BYTES = 30
FREE_TEXT_MIN_DISTINCT_SHARE = 0.5

URL_PATTERN = re.compile(r"^(https?://|www\.)[^\s]+\.[^\s]+$", re.IGNORECASE)
CURRENCY_PATTERN = re.compile(
    r"^(?:[-+]?\s?[$€£¥₹₩]\s?[-+]?\d{1,3}(?:[,\s]?\d{3})*(?:\.\d+)?"
    r"|[-+]?\d{1,3}(?:[,\s]?\d{3})*(?:\.\d+)?\s?(?:USD|EUR|GBP|CNY|RMB|JPY|元|[$€£¥]))$",
    re.IGNORECASE,
)
PERCENT_PATTERN = re.compile(r"^[-+]?\d+(?:\.\d+)?\s?%$")
UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
DATE_SHAPE = re.compile(r"^(\d{1,4}[-/.年 ]\d{1,2}|\d{8}$|[A-Za-z]{3} \d|\d{1,2} [A-Za-z]{3})")
DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d", "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y年%m月%d日", "%d %b %Y",
    "%b %d, %Y", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f",
)  # fmt: skip
CURRENCY_HINTS = frozenset(
    {
        "price", "amount", "revenue", "cost", "salary", "sales", "fee", "fees", "income",
        "payment", "balance", "budget", "profit", "spend", "wage", "usd", "eur", "gbp", "cny",
        "金额", "价格", "收入", "销售额", "费用", "工资",
    }
)  # fmt: skip
PERCENT_HINTS = frozenset({"pct", "percent", "percentage", "rate", "ratio", "share", "比例"})
ID_HINTS = frozenset({"id", "uuid", "guid", "key", "编号"})


@dataclass(frozen=True)
class SemanticEvidence:
    """What the semantic typing looks at for one column."""

    name: str
    logical: str
    non_null: int
    distinct: int | None
    minimum: object
    maximum: object
    avg_bytes: float | None
    sample: list[object]
    pii_kind: str | None


def infer_semantic_type(evidence: SemanticEvidence) -> str | None:
    """The semantic type of a column, or None when nothing is clear."""
    if evidence.pii_kind is not None:
        return evidence.pii_kind
    tokens = header_tokens(evidence.name)
    if evidence.logical == "string":
        by_values = _string_value_type(evidence.sample)
        if by_values is not None:
            return by_values
    if _is_id(evidence, tokens):
        return "id"
    if evidence.logical in {"integer", "float"}:
        return _numeric_hint_type(evidence, tokens)
    if evidence.logical == "string":
        return _string_shape_type(evidence)
    return None


def _share(values: list[str], matches: Callable[[str], bool]) -> float:
    if not values:
        return 0.0
    return sum(1 for value in values if matches(value)) / len(values)


def _string_value_type(sample: list[object]) -> str | None:
    texts = [value.strip() for value in sample if isinstance(value, str) and value.strip()]
    checks = (
        ("url", lambda text: URL_PATTERN.match(text) is not None),
        ("percentage", lambda text: PERCENT_PATTERN.match(text) is not None),
        ("currency", lambda text: CURRENCY_PATTERN.match(text) is not None),
        ("date", _looks_like_date),
    )
    for kind, matches in checks:
        if _share(texts, matches) >= VALUE_SHARE_THRESHOLD:
            return kind
    return None


def _looks_like_date(text: str) -> bool:
    if not 6 <= len(text) <= 32 or DATE_SHAPE.match(text) is None:
        return False
    for date_format in DATE_FORMATS:
        try:
            datetime.strptime(text, date_format)
        except ValueError:
            continue
        return True
    return False


def _is_id(evidence: SemanticEvidence, tokens: list[str]) -> bool:
    if evidence.logical not in {"integer", "string"}:
        return False
    if tokens and tokens[-1] in ID_HINTS:
        return True
    unique = evidence.distinct is not None and evidence.distinct == evidence.non_null > 1
    if not unique:
        return False
    if evidence.logical == "integer":
        low, high = evidence.minimum, evidence.maximum
        return (
            isinstance(low, int) and isinstance(high, int) and high - low + 1 == evidence.non_null
        )
    return _looks_like_codes(evidence.sample)


def _looks_like_codes(sample: list[object]) -> bool:
    """UUIDs, or compact codes of one length without spaces (`A-10023`, `INV0001`)."""
    texts = [value for value in sample if isinstance(value, str)]
    if not texts:
        return False
    if _share(texts, lambda text: UUID_PATTERN.match(text) is not None) >= VALUE_SHARE_THRESHOLD:
        return True
    lengths = {len(text) for text in texts}
    compact = all(" " not in text and any(char.isdigit() for char in text) for text in texts)
    return compact and len(lengths) == 1 and 3 <= lengths.pop() <= 64


def _numeric_hint_type(evidence: SemanticEvidence, tokens: list[str]) -> str | None:
    if any(token in CURRENCY_HINTS for token in tokens):
        return "currency"
    if any(token in PERCENT_HINTS for token in tokens):
        low, high = evidence.minimum, evidence.maximum
        if (
            isinstance(low, int | float)
            and isinstance(high, int | float)
            and 0 <= low <= high <= 100
        ):
            return "percentage"
    return None


def _string_shape_type(evidence: SemanticEvidence) -> str | None:
    distinct, non_null = evidence.distinct, evidence.non_null
    if distinct is None or non_null == 0:
        return None
    avg = evidence.avg_bytes or 0.0
    few = distinct <= CATEGORY_MAX_DISTINCT and distinct <= CATEGORY_MAX_DISTINCT_SHARE * non_null
    if few and avg < FREE_TEXT_MIN_AVG_BYTES:
        return "category"
    spaced = _share(
        [value for value in evidence.sample if isinstance(value, str)], lambda text: " " in text
    )
    varied = distinct >= FREE_TEXT_MIN_DISTINCT_SHARE * non_null
    if avg >= FREE_TEXT_MIN_AVG_BYTES and varied and spaced >= 0.5:
        return "free_text"
    return None
