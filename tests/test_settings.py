import re
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.settings import SETTINGS, load_settings
from plaudit.init_config import example_config

SOURCES = """
[[sources]]
name = "form"
kind = "csv"
path = "exports/*.csv"

[[sources]]
name = "site"
kind = "selectors"
url = "https://example.org/t"
selectors = { item = ".t", text = "p" }
policy = "summary_only"
"""


def test_precedence_defaults_file_environment(tmp_path):
    config = tmp_path / "plaudit.toml"
    config.write_text('[plaudit]\nmax_pages = 7\nhttp_retries = 4\n' + SOURCES)
    settings = load_settings(config, env={"PLAUDIT_HTTP_RETRIES": "1"})
    assert settings.max_pages == 7 and settings.http_retries == 1
    assert settings.excerpt_max_chars == 240
    assert settings.internal_db == tmp_path / "data" / "plaudit.db"
    assert settings.source("form").path == str(tmp_path / "exports/*.csv")
    assert settings.source("site").policy == "summary_only"


@pytest.mark.parametrize("body, message", [
    ("[plaudit]\nnot_a_setting = 1\n", "unknown setting"),
    ("[plaudit]\nmax_pages = 'many'\n", "expected int"),
    ('[[sources]]\nname = "x"\nkind = "ftp"\n', "needs a name and a kind"),
    ('[[sources]]\nname = "x"\nkind = "csv"\n', "needs a path"),
    ('[[sources]]\nname = "x"\nkind = "csv"\npath = "a"\npolicy = "sometimes"\n', "policy must be"),
    ('[[sources]]\nname = "x"\nkind = "selectors"\nurl = "https://e.org"\n', "selectors need"),
    ('[plaudit]\ndisclosure_label = "  "\n', "disclosure_label cannot be empty"),
    ("[plaudit\n", "not valid TOML"),
])
def test_bad_config_names_the_problem(tmp_path, body, message):
    config = tmp_path / "plaudit.toml"
    config.write_text(body)
    with pytest.raises(ConfigError, match=message):
        load_settings(config, env={})


def test_bad_environment_value_is_rejected():
    with pytest.raises(ConfigError, match="PLAUDIT_ALLOW_PRIVATE_ADDRESSES"):
        load_settings(env={"PLAUDIT_ALLOW_PRIVATE_ADDRESSES": "perhaps"})


def test_example_config_loads_and_lists_every_setting(tmp_path):
    config = tmp_path / "plaudit.toml"
    config.write_text(example_config())
    settings = load_settings(config, env={})
    assert [s.name for s in settings.sources] == ["review-form", "directory", "website"]
    for setting in SETTINGS:
        assert f"# {setting.name} = " in config.read_text()


def test_readme_documents_every_setting():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", readme, re.MULTILINE))
    assert {s.name for s in SETTINGS} <= documented


def test_blocked_claims_default_is_the_risk_policy():
    from pipeline.judge.detectors.risk import BLOCKED_CLAIMS

    assert set(load_settings(env={}).blocked_claims) == BLOCKED_CLAIMS
