"""`townhall transparency-record` prints every ATRS v3.0 tier 1 and tier 2 field."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from townhall.cli import app
from townhall.transparency import TIERS


def test_json_record_has_every_atrs_tier_1_and_2_field(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TOWNHALL_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["transparency-record", "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["metadata"]["standard_version"] == "3.0"
    for section, fields in TIERS.items():
        assert section in record, section
        for field in fields:
            value = record[section].get(field)
            assert value not in (None, "", [], {}), f"{section}.{field}"
    assert (
        record["tier_1"]["name"]
        and "Brackenvale" in record["tier_2_owner_and_responsibility"]["organisation"]
    )


def test_markdown_record_and_bad_format(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TOWNHALL_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["transparency-record"])
    assert result.exit_code == 0
    assert result.output.startswith("# Algorithmic transparency record")
    assert "## Tier 1" in result.output and "**Senior responsible owner**" in result.output
    bad = CliRunner().invoke(app, ["transparency-record", "--format", "pdf"])
    assert bad.exit_code == 2
