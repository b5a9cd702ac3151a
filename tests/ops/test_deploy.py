"""The Docker stack, validated without a Docker engine: compose config, Dockerfile, .env.example."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from graph.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    if binary is None:
        if IN_CI:
            pytest.fail("docker-compose (Debian's package) is needed to validate the stack under CI=true")
        pytest.skip("docker-compose not installed (apt-get install docker-compose)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "NARRATIVES_"))}
    return subprocess.run(
        [binary, "-f", str(COMPOSE), *args], capture_output=True, text=True, env={**clean, **env}, cwd=ROOT
    )


def test_compose_file_is_valid_with_a_password() -> None:
    done = _compose("config", "-q", env={"NEO4J_PASSWORD": "a-secret"})
    assert done.returncode == 0, done.stderr


def test_compose_refuses_to_start_without_a_password() -> None:
    done = _compose("config", "-q", env={})
    assert done.returncode != 0
    assert "NEO4J_PASSWORD" in done.stderr


def test_compose_services() -> None:
    done = _compose("config", env={"NEO4J_PASSWORD": "a-secret"})
    text = done.stdout
    assert "image: neo4j:5.26-community" in text
    assert "condition: service_healthy" in text
    assert "healthcheck:" in text
    assert re.search(r"^\s+profiles:\s*\n\s+- load", text, re.M)
    assert "neo4j-data:" in text


def test_every_compose_variable_is_in_env_example() -> None:
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^([A-Z0-9_]+)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M))
    assert used <= documented, f".env.example lacks {sorted(used - documented)}"


def test_api_service_is_configured_only_through_settings_it_knows() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    names = set(re.findall(r"^\s+(NARRATIVES_[A-Z0-9_]+):", text, re.M))
    known = {f"NARRATIVES_{name.upper()}" for name in Settings.model_fields}
    assert names <= known, f"compose sets unknown settings {sorted(names - known)}"


def test_dockerfile_installs_the_package_as_pyproject_declares_it() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    docker = DOCKERFILE.read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY\s+(\S+)\s", docker, re.M))
    assert packages <= copied, f"Dockerfile does not copy {sorted(packages - copied)}"
    assert {"pyproject.toml", "README.md"} <= set(
        re.findall(
            r"\S+", " ".join(line for line in docker.splitlines() if line.startswith("COPY pyproject.toml"))
        )
    )
    assert re.search(r"^RUN pip install \.$", docker, re.M), "the image must install the package itself"
    python = re.search(r"^FROM python:(\d+)\.(\d+)", docker, re.M)
    assert python is not None
    minimum = tuple(int(x) for x in pyproject["project"]["requires-python"].lstrip(">=").split("."))
    assert (int(python.group(1)), int(python.group(2))) >= minimum
    command = re.search(r'^CMD \["(\w+)"', docker, re.M)
    assert command is not None and command.group(1) in pyproject["project"]["scripts"]
