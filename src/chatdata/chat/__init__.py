"""AI chat: conversations, messages, the agent loop and LLM providers."""
