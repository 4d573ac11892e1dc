"""Names (issue 15): keys are whole slugs of sensible length, display names hold no control
characters, whatever the source (targets.toml or a third-party declaration)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policydiff.errors import ConfigError
from policydiff.ota import import_ota
from policydiff.targets import DocumentTarget, parse_targets, slugify


def _toml(service: str, document: str = "privacy", name: str = "Acme") -> str:
    return (
        f"[services.{json.dumps(service)}]\nname = {json.dumps(name)}\n"
        f'[services.{json.dumps(service)}.documents.{json.dumps(document)}]\nurl = "https://acme.test/p"\n'
    )


@pytest.mark.parametrize("key", ["svc\n", "svc\r\n", "a" * 65, "a" * 300, "", "sv c", "s/v"])
def test_bad_keys_are_config_errors(key: str) -> None:
    with pytest.raises(ConfigError, match="key"):
        parse_targets(_toml(key))
    with pytest.raises(ConfigError, match="key"):
        parse_targets(_toml("svc", key))


@pytest.mark.parametrize("name", ["Acme\x00", "Acme\x1b[31m", "Ac\x7fme", "x" * 201])
def test_bad_display_names_are_config_errors(name: str) -> None:
    with pytest.raises(ConfigError, match="name"):
        parse_targets(_toml("svc", name=name))


def test_targets_check_refuses_a_300_character_key(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(_toml("a" * 300))
    done = subprocess.run(
        [sys.executable, "-m", "policydiff", "targets", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "1 to 64" in done.stderr and "Traceback" not in done.stderr


def test_slugs_stay_short_and_distinct() -> None:
    long_a, long_b = "Privacy " * 40 + "A", "Privacy " * 40 + "B"
    assert len(slugify(long_a)) <= 64 and slugify(long_a) != slugify(long_b)
    assert slugify("Privacy Policy") == "privacy-policy"


def test_names_from_any_source_are_cleaned() -> None:
    target = DocumentTarget(
        "svc", "doc", "https://x.test/", service_name="Ac\x00me\n Inc", document_name="\x07"
    )
    assert target.service_name == "Ac me Inc" and target.document_name is None


def test_import_ota_cleans_control_characters_and_long_names(tmp_path: Path) -> None:
    folder = tmp_path / "declarations"
    folder.mkdir()
    declaration = {
        "name": "Evil\x1b[2J\x00Corp",
        "documents": {"Privacy\x0bPolicy " + "x" * 300: {"fetch": "https://evil.test/p", "select": "main"}},
    }
    (folder / ("Evil" * 30 + ".json")).write_text(json.dumps(declaration))
    targets, _warnings = import_ota(folder)
    (target,) = targets.documents
    assert "\x1b" not in (target.service_name or "") and "\x0b" not in (target.document_name or "")
    assert len(target.service) <= 64 and len(target.document) <= 64
    assert len(target.document_name or "") <= 200
