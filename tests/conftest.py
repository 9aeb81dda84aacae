"""Shared fixtures. Real model requests are off unless a test is marked ``live`` (a hosted
provider) or ``local_llm`` (a real model on a local server, see tests/helpers/llama.py)."""

from __future__ import annotations

import os

os.environ["ADVISOR_ALLOW_MODEL_REQUESTS"] = "0"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
for _name in list(os.environ):  # the developer's own settings must not leak into tests
    if _name.startswith("ADVISOR_") and _name not in {
        "ADVISOR_ALLOW_MODEL_REQUESTS", "ADVISOR_REQUIRE_BROWSER", "ADVISOR_REQUIRE_CHROMA_SERVER",
        "ADVISOR_REQUIRE_LOCAL_LLM", "ADVISOR_TEST_LLM_URL", "ADVISOR_TEST_LLM_PYTHON",
        "ADVISOR_TEST_LLM_GGUF",
    }:
        del os.environ[_name]

import shutil  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from advisor.config import SHIPPED_KNOWLEDGE, Settings, load_settings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("-m"):
        return
    skip_live = pytest.mark.skip(reason="live: calls a real LLM provider; run with -m live")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip_live)


@pytest.fixture(autouse=True)
def _allow_live_requests(request: pytest.FixtureRequest) -> Iterator[None]:
    from advisor.llm import factory

    factory.ALLOW_MODEL_REQUESTS = "live" in request.keywords or "local_llm" in request.keywords
    yield
    factory.ALLOW_MODEL_REQUESTS = False


@pytest.fixture(scope="session")
def fitted_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the shipped articles ingested (embedder fitted once per session)."""
    from advisor.search.knowledge_base import KnowledgeBase

    data = tmp_path_factory.mktemp("fitted")
    KnowledgeBase(load_settings(data_dir=data)).ensure_ingested()
    return data


@pytest.fixture
def settings(tmp_path: Path, fitted_data_dir: Path) -> Settings:
    """Fresh settings with an empty store but the session's fitted embedder (saves ~8 s)."""
    shutil.copytree(fitted_data_dir / "embedder", tmp_path / "data" / "embedder")
    return load_settings(data_dir=tmp_path / "data", knowledge_dir=SHIPPED_KNOWLEDGE)


@pytest.fixture
def shared_settings(fitted_data_dir: Path) -> Settings:
    """Settings on the session's ingested store: for tests that only read."""
    return load_settings(data_dir=fitted_data_dir)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped articles."""
    dest = tmp_path / "knowledge"
    shutil.copytree(SHIPPED_KNOWLEDGE, dest)
    return dest
