"""LLM providers behind one interface: OpenAI-compatible endpoints and the built-in analyst."""
