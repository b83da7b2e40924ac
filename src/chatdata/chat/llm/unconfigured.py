"""The provider used when no model is configured and the built-in analyst is not available."""

from __future__ import annotations

from chatdata.chat.llm.base import ModelTurn, TokenSink, TurnRequest

NO_MODEL_MESSAGE = (
    "No AI model is configured on this server, so I cannot answer in words yet. "
    "An administrator can set CHATDATA_LLM_API_KEY (and optionally CHATDATA_LLM_PRESET, "
    "CHATDATA_LLM_BASE_URL, CHATDATA_LLM_MODEL) to use DeepSeek, OpenAI, Qwen, Ollama or vLLM. "
    "You can still run Python on this dataset yourself in a code cell: `df`, `lf` and `con` "
    "are ready."
)


class UnconfiguredProvider:
    """Answers every turn with the message above."""

    name = "none"
    model = "none"

    async def complete(self, request: TurnRequest, on_token: TokenSink) -> ModelTurn:
        """Say that no model is configured."""
        await on_token(NO_MODEL_MESSAGE)
        return ModelTurn(text=NO_MODEL_MESSAGE)
