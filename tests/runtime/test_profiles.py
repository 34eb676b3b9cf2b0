"""Profiles (`dataarts._runtime.profiles`): where the files are, reading and writing them, the
credential_process. How a profile completes a client's settings: tests/runtime/test_settings.py."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from templates.runtime import profiles
from templates.runtime.profiles import Profile, ProfileError


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment whose config folder is a fresh temporary one."""
    return {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")}


def test_files_live_in_the_xdg_config_folder_unless_moved(env: dict[str, str], tmp_path: Path) -> None:
    assert profiles.config_file(env) == tmp_path / "xdg" / "dataarts" / "config"
    assert profiles.credentials_file(env) == tmp_path / "xdg" / "dataarts" / "credentials"
    home = {"HOME": str(tmp_path / "home")}
    assert profiles.config_file(home) == tmp_path / "home" / ".config" / "dataarts" / "config"
    moved = {**env, "DATAARTS_CONFIG_FILE": str(tmp_path / "c.ini"),
             "DATAARTS_CREDENTIALS_FILE": str(tmp_path / "k.ini")}
    assert profiles.config_file(moved) == tmp_path / "c.ini"
    assert profiles.credentials_file(moved) == tmp_path / "k.ini"


def test_the_profile_in_use(env: dict[str, str]) -> None:
    assert profiles.selected(None, env) == "default"
    assert profiles.selected(None, {**env, "DATAARTS_PROFILE": "dev"}) == "dev"
    assert profiles.selected("prod", {**env, "DATAARTS_PROFILE": "dev"}) == "prod"


def test_save_then_load_splits_settings_from_secrets(env: dict[str, str]) -> None:
    written = profiles.save("dev", {"region": "sa-brazil-1", "project_id": "p1", "ak": "AKDEV0001",
                                    "sk": "sk-dev-secret"}, environ=env)
    config, credentials = profiles.config_file(env), profiles.credentials_file(env)
    assert written == [config, credentials]
    assert config.read_text() == "[profile dev]\nregion = sa-brazil-1\nproject_id = p1\n"
    assert credentials.read_text() == "[dev]\nak = AKDEV0001\nsk = sk-dev-secret\n"
    for path in (config, credentials):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    profile = profiles.load("dev", environ=env)
    assert profile.settings() == {"region": "sa-brazil-1", "project_id": "p1"}
    assert profile.credentials == {"ak": "AKDEV0001", "sk": "sk-dev-secret"}
    assert profile.sources["sk"] == credentials and profile.sources["region"] == config
    assert profiles.names(env) == ["dev"]


def test_shown_values_mask_every_credential(env: dict[str, str]) -> None:
    profiles.save("default", {"region": "r", "ak": "AKDEV0001", "sk": "sk-secret",
                              "token": "tok-secret"}, environ=env)
    shown = profiles.load(environ=env).shown()
    assert shown == {"region": "r", "ak": "AKDE…", "sk": "<redacted>", "token": "<redacted>"}


def test_save_keeps_comments_other_keys_and_sections(env: dict[str, str]) -> None:
    config = profiles.config_file(env)
    config.parent.mkdir(parents=True)
    config.write_text(
        "# my settings\n[default]\nregion = ap-southeast-1\nworkspace = w1\n\n"
        "[profile dev]\n; the dev project\nproject_id = old\n  continued\nregion = r\n"
    )
    profiles.save("dev", {"project_id": "new", "workspace": "w2", "region": None}, environ=env)
    assert config.read_text() == (
        "# my settings\n[default]\nregion = ap-southeast-1\nworkspace = w1\n\n"
        "[profile dev]\n; the dev project\nproject_id = new\nworkspace = w2\n"
    )
    profiles.save("default", {"language": "en_us"}, environ=env)
    assert "workspace = w1\nlanguage = en_us\n\n[profile dev]" in config.read_text()


def test_save_refuses_unknown_keys_bad_names_and_line_breaks(env: dict[str, str]) -> None:
    with pytest.raises(ProfileError, match="unknown profile key 'regoin'"):
        profiles.save("dev", {"regoin": "x"}, environ=env)
    with pytest.raises(ProfileError, match="profile name"):
        profiles.save("a]b", {"region": "x"}, environ=env)
    with pytest.raises(ProfileError, match="line break"):
        profiles.save("dev", {"sk": "a\n[evil]"}, environ=env)
    assert not profiles.config_file(env).exists() and not profiles.credentials_file(env).exists()


def test_an_unknown_profile_is_an_error_but_a_missing_default_is_empty(env: dict[str, str]) -> None:
    assert profiles.load(environ=env) == Profile("default")
    with pytest.raises(ProfileError, match="no profile 'dev' in .*config or .*credentials"):
        profiles.load("dev", environ=env)
    with pytest.raises(ProfileError, match="no profile 'dev'"):
        profiles.load(environ={**env, "DATAARTS_PROFILE": "dev"})


def test_a_broken_file_is_named_without_quoting_its_lines(env: dict[str, str]) -> None:
    credentials = profiles.credentials_file(env)
    credentials.parent.mkdir(parents=True)
    credentials.write_text("sk = sk-before-any-section\n")
    with pytest.raises(ProfileError) as err:
        profiles.load("dev", environ=env)
    assert str(credentials) in str(err.value) and "line 1" in str(err.value)
    assert "sk-before" not in str(err.value)


def test_default_may_be_written_as_profile_default(env: dict[str, str]) -> None:
    config = profiles.config_file(env)
    config.parent.mkdir(parents=True)
    config.write_text("[profile default]\nregion = r1\n")
    assert profiles.load(environ=env).settings() == {"region": "r1"}


def _process(tmp_path: Path, printed: object, status: int = 0) -> str:
    script = tmp_path / "creds.py"
    script.write_text(f"import sys\nprint({json.dumps(json.dumps(printed))})\nsys.exit({status})\n")
    return f"{sys.executable} {script}"


def test_credential_process_prints_the_keys(env: dict[str, str], tmp_path: Path) -> None:
    command = _process(tmp_path, {"Version": 1, "AccessKeyId": "AKTEMP", "SecretAccessKey": "sk-t",
                                  "SessionToken": "st", "Expiration": "2030-01-01T00:00:00Z"})
    profiles.save("sso", {"credential_process": command}, environ=env)
    profile = profiles.load("sso", environ=env)
    assert profile.credentials == {"ak": "AKTEMP", "sk": "sk-t", "security_token": "st"}
    stored = Profile("both", {"ak": "AKSTORED", "sk": "s", "credential_process": command})
    assert stored.credentials == {"ak": "AKSTORED", "sk": "s"}  # stored keys win; nothing run


@pytest.mark.parametrize(
    ("printed", "status", "message"),
    [
        ({"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "sk-leak"}, 3, "exited with status 3"),
        ("sk-leak", 0, "printed no JSON object with Version 1"),
        ({"Version": 2, "AccessKeyId": "AK", "SecretAccessKey": "sk-leak"}, 0, "Version 1"),
        ({"Version": 1, "SecretAccessKey": "sk-leak"}, 0, "no AccessKeyId and SecretAccessKey"),
    ],
)
def test_a_failing_credential_process_never_shows_its_output(
    tmp_path: Path, printed: object, status: int, message: str
) -> None:
    with pytest.raises(ProfileError, match=message) as err:
        profiles.run_credential_process(_process(tmp_path, printed, status))
    assert "sk-leak" not in str(err.value)


def test_a_credential_process_that_cannot_run(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot run"):
        profiles.run_credential_process(str(tmp_path / "no-such-program"))
    with pytest.raises(ProfileError, match="cannot split"):
        profiles.run_credential_process("'unterminated")
