"""The README documents every setting (datasette-style docs test)."""

from __future__ import annotations

from pathlib import Path

from advisor.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table() -> None:
    missing = [f"ADVISOR_{n.upper()}" for n in Settings.model_fields
               if f"| `ADVISOR_{n.upper()}` |" not in README]
    assert not missing, f"undocumented settings: {missing}"


def test_readme_has_exactly_two_quickstart_commands() -> None:
    quick = README.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [ln for ln in quick.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(commands) == 2
