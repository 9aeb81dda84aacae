"""A real ``advisor serve`` subprocess on a free loopback port, and the Chroma server helper."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from helpers.chroma import ChromaServer, chroma_executable, free_port  # noqa: F401 - re-exported

REPO = Path(__file__).resolve().parents[2]


def advisor_env(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of an ``advisor`` subprocess over ``data_dir``: none of the developer's
    ADVISOR_* settings, offline models, no real model requests; ``extra`` on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
            "ADVISOR_DATA_DIR": str(data_dir),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "GRADIO_ANALYTICS_ENABLED": "False",
            "ADVISOR_ALLOW_MODEL_REQUESTS": "0",
        }
    )
    env.update(extra or {})
    return env


class AdvisorServer:
    """``python -m advisor.cli serve`` with its own environment; ``start`` waits for /readyz."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        env: dict[str, str] | None = None,
        log: Path | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.extra_env = env or {}
        self.log = log or data_dir.parent / f"serve-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.seconds_to_ready: float | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return advisor_env(self.data_dir, self.extra_env)

    def launch(self) -> None:
        """Start the process without waiting."""
        self._log = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self._started = time.monotonic()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "advisor.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=self.data_dir.parent,
            env=self.env(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60, poll: float = 0.1) -> None:
        """Poll /readyz every ``poll`` s; ``seconds_to_ready`` is launch -> first 200. One client
        for all the polls: ``httpx.get`` builds an SSL context per call (~65 ms of CPU), which
        would take a core's worth from the server it is waiting for."""
        assert self.proc is not None
        deadline = self._started + timeout
        with httpx.Client(timeout=2) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    pytest.fail(
                        f"advisor serve exited with {self.proc.returncode}:\n{self.output()}"
                    )
                try:
                    if client.get(f"{self.url}/readyz").status_code == 200:
                        self.seconds_to_ready = time.monotonic() - self._started
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(poll)
        self.stop()
        pytest.fail(f"advisor serve was not ready within {timeout} s:\n{self.output()}")

    def start(self, timeout: float = 60, poll: float = 0.1) -> AdvisorServer:
        self.launch()
        self.wait_ready(timeout, poll)
        return self

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self, timeout: float = 10) -> int | None:
        """SIGTERM (graceful, bounded by timeout_graceful_shutdown), then SIGKILL; by PID."""
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        self._log.close()
        return proc.returncode


_SHARED: dict[str, AdvisorServer] = {}


def shared_server(request: pytest.FixtureRequest, fitted_data_dir: Path) -> AdvisorServer:
    """One ``advisor serve`` per test session (over a copy of the ingested store), shared by the
    modules that only need *a* real server; stopped by PID when the session ends."""
    if "server" not in _SHARED:
        import shutil

        root = request.config._tmp_path_factory.mktemp("served")  # type: ignore[attr-defined]
        shutil.copytree(fitted_data_dir, root / "data")
        server = AdvisorServer(root / "data")
        request.config.add_cleanup(server.stop)
        server.start()
        _SHARED["server"] = server
    return _SHARED["server"]
