"""Settings: command line beats environment beats file beats default, and each says its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.settings import SettingsError, load_settings


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    settings = load_settings({}, environ={}, config_file=tmp_path / "none.toml")
    assert (settings.line, settings.idle_logout_seconds, settings.pin_max_attempts) == ("", 120, 5)
    assert settings.source_of("line") == "default"


def test_each_layer_overrides_the_one_below(tmp_path: Path) -> None:
    config = _file(tmp_path, 'line = "CUT-L01"\nidle_logout_seconds = 90\npin_max_attempts = 4\n')
    settings = load_settings(
        {"line": "SEW-L03"},
        environ={"KIOSK_LINE": "FIN-L01", "KIOSK_IDLE_LOGOUT_SECONDS": "60"},
        config_file=config,
    )
    assert settings.line == "SEW-L03"
    assert settings.source_of("line") == "command line"
    assert settings.idle_logout_seconds == 60
    assert settings.source_of("idle_logout_seconds") == "environment KIOSK_IDLE_LOGOUT_SECONDS"
    assert settings.pin_max_attempts == 4
    assert settings.source_of("pin_max_attempts") == f"file {config}"
    rows = {name: (value, source) for name, value, source in settings.rows()}
    assert rows["line"] == ("SEW-L03", "command line")


def test_the_config_file_can_be_named_in_the_environment(tmp_path: Path) -> None:
    config = _file(tmp_path, "windowed = true\n")
    settings = load_settings({}, environ={"KIOSK_CONFIG": str(config)})
    assert settings.windowed is True


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"KIOSK_PIN_MAX_ATTEMPTS": "five"}, "pin_max_attempts from environment"),
        ({"KIOSK_WINDOWED": "maybe"}, "windowed from environment"),
        ({"KIOSK_PIN_MAX_ATTEMPTS": "0"}, "pin_max_attempts must be at least 1"),
        ({"KIOSK_IDLE_LOGOUT_SECONDS": "-1"}, "idle_logout_seconds cannot be negative"),
    ],
)
def test_bad_values_are_refused_naming_their_source(
    tmp_path: Path, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings({}, environ=environ, config_file=tmp_path / "none.toml")


def test_an_unknown_key_in_the_file_is_refused(tmp_path: Path) -> None:
    config = _file(tmp_path, "idle_logut_seconds = 5\n")
    with pytest.raises(SettingsError, match=r"unknown setting.*idle_logut_seconds"):
        load_settings({}, environ={}, config_file=config)


def test_a_broken_file_is_refused(tmp_path: Path) -> None:
    config = _file(tmp_path, "line = \n")
    with pytest.raises(SettingsError, match="cannot read settings file"):
        load_settings({}, environ={}, config_file=config)
