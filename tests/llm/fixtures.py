"""The `llm_server` pytest fixture: one scripted LLM server per pytest session, clean for
each test. Import it into a suite's conftest.py:

    from tests.llm.fixtures import llm_server  # noqa: F401

It needs no other fixture, so that single import is enough in any test package. The
server is started on first use and stopped (threads joined, port closed) when pytest
finishes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.llm.scripted_server import ScriptedLLMServer

_SERVER_KEY = pytest.StashKey[ScriptedLLMServer]()


def shared_llm_server(config: pytest.Config) -> ScriptedLLMServer:
    """The session's server, started on first call and stopped at pytest's cleanup."""
    server = config.stash.get(_SERVER_KEY, None)
    if server is None:
        server = ScriptedLLMServer().start()
        config.stash[_SERVER_KEY] = server
        config.add_cleanup(server.stop)
    return server


@pytest.fixture
def llm_server(request: pytest.FixtureRequest) -> Iterator[ScriptedLLMServer]:
    """The shared scripted server with an empty script and no records."""
    server = shared_llm_server(request.config)
    server.reset()
    yield server
    server.reset()
