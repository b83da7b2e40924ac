"""The built-in offline analyst: understands common data questions (English and Chinese),
writes and runs real analysis code in the kernel, and answers with the numbers."""

from chatdata.chat.llm.builtin.provider import BuiltinAnalyst

__all__ = ["BuiltinAnalyst"]
