"""Every setting is documented: in docs/configuration.md (generated from `Settings`, checked here) and
in the README's configuration table. Regenerate the page with `python -m tests.api.test_settings_docs`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from graph.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "configuration.md"
README = ROOT / "README.md"
SECRET_FIELDS = {"neo4j_password", "api_token"}


def _env_names(name: str) -> str:
    field = Settings.model_fields[name]
    names = [f"NARRATIVES_{name.upper()}"]
    alias = field.validation_alias
    choices = getattr(alias, "choices", None)
    if choices:
        names = [str(c) for c in choices]
    return " / ".join(f"`{n}`" for n in names)


def _default(name: str) -> str:
    field = Settings.model_fields[name]
    if name in SECRET_FIELDS:
        return "none (secret)"
    if name == "data_dir":
        return "`$XDG_DATA_HOME/narrative-graph`"
    if field.default_factory is not None:
        return f"`{field.default_factory()!r}`"  # type: ignore[call-arg]
    value = field.default
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def render() -> str:
    lines = [
        "# Configuration",
        "",
        "<!-- Generated from graph/settings.py by `python -m tests.api.test_settings_docs`; "
        "a test checks it. -->",
        "",
        "narrative-graph reads one settings class at start-up: each setting comes from its environment "
        "variable,",
        "or from a `.env` file in the working directory. Secrets have no defaults. Lists are JSON",
        "(`NARRATIVES_CORS_ORIGINS='[\"https://example.org\"]'`).",
        "",
        "| setting | environment variable | default | meaning |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | {_env_names(name)} | {_default(name)} | {description} |")
    return "\n".join(lines) + "\n"


def test_every_setting_has_a_description() -> None:
    missing = [name for name, field in Settings.model_fields.items() if not field.description]
    assert not missing, f"settings without a description: {missing}"


def test_secrets_have_no_default() -> None:
    for name in SECRET_FIELDS:
        assert Settings.model_fields[name].default is None


def test_configuration_page_is_current() -> None:
    assert PAGE.is_file(), f"{PAGE} is missing: run `python -m tests.api.test_settings_docs`"
    assert PAGE.read_text(encoding="utf-8") == render(), (
        f"{PAGE} is out of date with graph/settings.py: run `python -m tests.api.test_settings_docs`"
    )


def test_readme_lists_every_setting() -> None:
    if not README.is_file():
        pytest.fail("README.md is missing")
    text = README.read_text(encoding="utf-8")
    missing = [
        name
        for name in Settings.model_fields
        if not re.search(rf"^\|.*`(NARRATIVES_)?{name}`", text, flags=re.IGNORECASE | re.MULTILINE)
    ]
    assert not missing, f"README.md's configuration table lacks: {missing}"
    assert "docs/configuration.md" in text, "README.md should link docs/configuration.md"


if __name__ == "__main__":
    PAGE.parent.mkdir(exist_ok=True)
    PAGE.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {PAGE}\n")
