"""Test double for the LLM path: a scripted OpenAI-compatible HTTP server on loopback."""
