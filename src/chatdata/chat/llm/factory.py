"""Build the active provider from settings."""

from __future__ import annotations

from chatdata.chat.llm.base import ChatProvider
from chatdata.chat.llm.builtin import BuiltinAnalyst
from chatdata.chat.llm.openai_compat import OpenAICompatibleProvider
from chatdata.chat.llm.presets import ProviderChoice, choose_provider
from chatdata.config import Settings


def create_provider(settings: Settings) -> tuple[ChatProvider, ProviderChoice]:
    """The provider the settings select, and what was chosen (for `GET /llm`)."""
    choice = choose_provider(settings)
    if choice.builtin:
        return BuiltinAnalyst(), choice
    assert choice.api_key is not None
    provider = OpenAICompatibleProvider(
        name=choice.preset,
        base_url=choice.base_url,
        model=choice.model,
        api_key=choice.api_key,
        timeout=settings.llm_timeout_seconds,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
    )
    return provider, choice
