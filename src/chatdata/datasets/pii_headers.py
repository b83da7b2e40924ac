"""Column-header heuristics for PII: which kind a header suggests, if any.

Headers are split into lower-case tokens (`firstName`, `first-name` and `First Name`
all become `first_name`), so the rules below match whole words, not substrings.
"""

from __future__ import annotations

import re

CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
NON_WORD = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")

PERSON_NAME_HEADERS = frozenset(
    {"name", "fullname", "firstname", "lastname", "surname", "forename", "givenname", "familyname"}
)
PERSON_NAME_TOKENS = frozenset({"fullname", "firstname", "lastname", "surname", "forename"})
PERSON_NAME_CJK = ("姓名", "名字", "联系人")
PERSON_QUALIFIERS = frozenset(
    {
        "full", "first", "last", "given", "family", "middle", "person", "customer", "client",
        "contact", "employee", "patient", "owner", "student", "member", "author", "buyer",
        "recipient", "sender", "holder", "cardholder", "emergency", "passenger", "guest",
    }
)  # fmt: skip
ADDRESS_TOKENS = frozenset({"address", "addr", "street", "streetaddress", "address1", "address2"})
ADDRESS_CJK = ("地址", "住址")
NOT_ADDRESS_TOKENS = frozenset(
    {"email", "mail", "ip", "mac", "url", "web", "wallet", "ipv4", "ipv6"}
)
KIND_HINTS: dict[str, frozenset[str]] = {
    "email": frozenset({"email", "mail", "e_mail", "邮箱", "电子邮件"}),
    "phone": frozenset(
        {"phone", "mobile", "tel", "telephone", "cell", "cellphone", "电话", "手机", "手机号"}
    ),
    "national_id": frozenset({"ssn", "social_security", "id_card", "idcard", "身份证", "身份证号"}),
    "payment_card": frozenset({"card", "credit_card", "card_number", "pan", "银行卡", "卡号"}),
    "iban": frozenset({"iban"}),
    "ip_address": frozenset({"ip", "ip_address", "ipv4", "ipv6", "client_ip", "ip地址"}),
}


def header_tokens(column_name: str) -> list[str]:
    """Lower-case word tokens of a header (camelCase and separators split)."""
    spaced = CAMEL_BOUNDARY.sub("_", column_name.strip())
    return [token for token in NON_WORD.split(spaced.lower()) if token]


def normalized_header(column_name: str) -> str:
    """The header as `snake_case` tokens joined with `_`."""
    return "_".join(header_tokens(column_name))


def header_suggests(column_name: str, kind: str) -> bool:
    """True when the header names the value-checked PII `kind` (email, phone, ...)."""
    hints = KIND_HINTS.get(kind, frozenset())
    tokens = header_tokens(column_name)
    joined = "_".join(tokens)
    if joined in hints or any(token in hints for token in tokens):
        return True
    return any(hint in joined for hint in hints if not hint.isascii())


def is_person_name_header(column_name: str) -> bool:
    """`name`, `full_name`, `first_name`, `customerName`, `姓名` ... but not `product_name`."""
    tokens = header_tokens(column_name)
    if any(marker in column_name for marker in PERSON_NAME_CJK):
        return True
    if not tokens:
        return False
    if "".join(tokens) in PERSON_NAME_HEADERS:
        return True
    if any(token in PERSON_NAME_TOKENS for token in tokens):
        return True
    return len(tokens) >= 2 and tokens[-1] == "name" and tokens[-2] in PERSON_QUALIFIERS


def is_address_header(column_name: str) -> bool:
    """`address`, `street`, `shipping_address`, `地址`; not `email_address`, `ip_address`."""
    tokens = header_tokens(column_name)
    if any(token in NOT_ADDRESS_TOKENS for token in tokens):
        return False
    if any(token in ADDRESS_TOKENS for token in tokens):
        return True
    return any(marker in column_name for marker in ADDRESS_CJK)
