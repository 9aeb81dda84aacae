"""Nothing lost: kill -9 of a real ``advisor ingest`` and of a real ``advisor serve`` mid-replace.

After each kill the store must serve every document whole, in the old version or the new one,
never nothing and never a half-written mixture; the next run finishes the job and leaves no
stray chunks. ``benchmarks/bench_crash_safety.py`` runs ten rounds of each and prints the figures.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from helpers.apps import API_KEY
from helpers.crash import (
    IngestScenario,
    PutBurst,
    ingest_timeline,
    judge,
    kill,
    kill_ingest_at,
    served,
)
from helpers.servers import AdvisorServer

from advisor.config import load_settings
from advisor.knowledge.store import ChunkStore

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory, fitted_data_dir: Path) -> IngestScenario:
    return IngestScenario(tmp_path_factory.mktemp("crash-ingest"), fitted_data_dir / "embedder",
                          docs=120)


def test_a_reingest_killed_at_any_moment_loses_nothing_and_the_next_run_finishes(
    scenario: IngestScenario,
) -> None:
    writing = ingest_timeline(scenario.fresh_store(), scenario.folder)
    killed, last = 0, None
    for fraction in (0.0, 0.5, 0.9):
        data = scenario.fresh_store()
        killed += kill_ingest_at(data, scenario.folder, fraction * writing)
        tally = judge(served(data), scenario.allowed())
        assert not tally.lost and not tally.partial, (
            f"killed {fraction:.0%} into a {writing:.2f} s write: {tally}; lost {tally.lost[:5]}, "
            f"partial {tally.partial[:5]}"
        )
        last = data
    assert killed >= 2 and last is not None, "the kills came too late to test anything"
    ingest_timeline(last, scenario.folder)  # the next run, not killed
    store = served(last)
    assert {d: store.get(d) for d in scenario.v2} == scenario.v2
    count = ChunkStore(load_settings(data_dir=last)).count()
    assert count == sum(len(ids) for ids in scenario.v2.values()), "stray chunks were left behind"


def test_a_server_killed_during_a_burst_of_replacing_puts_loses_nothing(
    tmp_path: Path, fitted_data_dir: Path
) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    for delay in (0.5, 1.2):
        data = tmp_path / f"data-{delay}"
        shutil.copytree(fitted_data_dir, data)
        server = AdvisorServer(data, env={"ADVISOR_API_KEY": API_KEY}).start()
        assert server.proc is not None
        burst = PutBurst(server.url, API_KEY, docs=6, sections=30)
        burst.seed()
        stop = threading.Event()
        writer = threading.Thread(target=burst.run, args=(stop,))
        writer.start()
        time.sleep(delay)
        assert kill(server.proc), "the server had exited before the kill"
        stop.set()
        writer.join(60)
        server.stop()
        assert not burst.errors, burst.errors
        tally = judge(served(data), burst.allowed(settings))
        assert not tally.lost and not tally.partial, f"killed after {delay} s: {tally}"
        assert max(burst.acked.values()) >= 2, "the kill came before any replace"
