"""Known OpenAI-compatible services and how settings choose one."""

from __future__ import annotations

from dataclasses import dataclass

from chatdata.config import Settings


@dataclass(frozen=True)
class Preset:
    """Defaults of one service."""

    name: str
    base_url: str
    model: str
    needs_key: bool = True


PRESETS = {
    "deepseek": Preset("deepseek", "https://api.deepseek.com/v1", "deepseek-chat"),
    "openai": Preset("openai", "https://api.openai.com/v1", "gpt-4o-mini"),
    "qwen": Preset("qwen", "https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen-plus"),
    "ollama": Preset("ollama", "http://127.0.0.1:11434/v1", "llama3.1", needs_key=False),
    "vllm": Preset("vllm", "http://127.0.0.1:8001/v1", "default", needs_key=False),
}


@dataclass(frozen=True)
class ProviderChoice:
    """What the settings select: the built-in analyst or an endpoint."""

    preset: str  # a PRESETS name, "custom", or "builtin"
    base_url: str | None
    model: str
    api_key: str | None

    @property
    def builtin(self) -> bool:
        """True when the built-in analyst answers."""
        return self.preset == "builtin"


def choose_provider(settings: Settings) -> ProviderChoice:
    """Resolve settings to a provider.

    An explicit preset wins. Otherwise a key selects DeepSeek, or the given base URL as a
    custom endpoint. With no key (and no keyless preset) the built-in analyst answers."""
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    name: str | None = settings.llm_preset
    if name == "builtin" or (name is None and key is None):
        return ProviderChoice("builtin", None, "builtin-analyst", None)
    if name is None:
        name = "custom" if settings.llm_base_url else "deepseek"
    preset = PRESETS.get(name)
    base_url = settings.llm_base_url or (preset.base_url if preset else None)
    model = settings.llm_model or (preset.model if preset else "default")
    if preset is not None and preset.needs_key and key is None:
        return ProviderChoice("builtin", None, "builtin-analyst", None)
    return ProviderChoice(name, base_url, model, key or "not-needed")
