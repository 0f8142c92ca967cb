"""`townhall queue list`: a status that does not exist is an error, not an empty queue."""

from __future__ import annotations

from typer.testing import CliRunner

from townhall.cli import app


def test_an_unknown_status_is_refused_with_the_ones_that_exist(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TOWNHALL_DATA_DIR", str(tmp_path))
    bad = CliRunner().invoke(app, ["queue", "list", "--status", "pending"])
    assert bad.exit_code == 2
    assert "not a status" in bad.output and "claimed" in bad.output
    good = CliRunner().invoke(app, ["queue", "list", "--status", "new"])
    assert good.exit_code == 0, good.output
