"""Fixtures of the API tests: each test module gets its own copy of the fitted store and one
offline Advisor over it (module scope: the app's tests share them, modules do not)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.apps import advisor_for, copy_store, settings_for

from advisor.service import Advisor


@pytest.fixture(scope="module")
def data_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             fitted_data_dir: Path) -> Path:
    name = request.module.__name__.rpartition(".")[2].removeprefix("test_")
    return copy_store(fitted_data_dir, tmp_path_factory.mktemp(name) / "data")


@pytest.fixture(scope="module")
def advisor(data_dir: Path) -> Advisor:
    return advisor_for(settings_for(data_dir))
