"""Text handling: language detection, Chinese-to-keyword translation, tokens, word forms."""

from __future__ import annotations

import re

from chatdata.chat.llm.builtin.lexicon import ABBREVIATIONS, CHINESE_NUMBERS, CHINESE_TERMS

CJK = re.compile(r"[\u4e00-\u9fff]")
CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
NON_WORD = re.compile(r"[^0-9a-z\u4e00-\u9fff.%<>=!]+")
TOKEN = re.compile(r"\d+(?:\.\d+)?%?|[a-z][a-z0-9]*|[<>=!]=?|[\u4e00-\u9fff]")
_TERMS_LONGEST_FIRST = sorted(CHINESE_TERMS, key=len, reverse=True)
_CHINESE_COUNT = re.compile(r"([一两二三四五六七八九十]+)(?=个|种|类|簇|期|天|周|月|年|名)")


def is_chinese(text: str) -> bool:
    """True when the question is written in Chinese (any CJK ideograph)."""
    return CJK.search(text) is not None


def translate_chinese(text: str) -> str:
    """Replace known Chinese terms by English keywords (longest term first)."""
    text = _CHINESE_COUNT.sub(lambda m: f" {CHINESE_NUMBERS.get(m.group(1), 0)} ", text)
    for term in _TERMS_LONGEST_FIRST:
        if term in text:
            text = text.replace(term, CHINESE_TERMS[term])
    return text


def split_identifier(name: str) -> list[str]:
    """Words of a column name: `lifeExp` -> life, exp; `sepal length (cm)` -> sepal, length, cm."""
    spaced = CAMEL_BOUNDARY.sub(" ", name)
    return [word for word in re.split(r"[^0-9a-zA-Z\u4e00-\u9fff]+", spaced.lower()) if word]


def normalise(text: str) -> str:
    """Lower-case text with separators turned into single spaces."""
    spaced = text.replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", spaced.lower()).strip()


def tokens(text: str) -> list[str]:
    """Word, number and comparison tokens of an already translated, normalised question."""
    return TOKEN.findall(text.lower().replace("_", " "))


def singular(word: str) -> str:
    """A crude singular form: tips -> tip, classes -> class, species stays."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "ies")) or word == "species":
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        return word
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def expand(word: str) -> str:
    """The full form of a known abbreviation (`qty` -> `quantity`)."""
    return ABBREVIATIONS.get(word, word)
