"""The one settings class. Built at start-up (`Settings()`), never at import.

Every field reads the environment variable `NARRATIVES_<FIELD>` (and, for the Neo4j connection, the
usual `NEO4J_URI` / `NEO4J_USER` / `NEO4J_PASSWORD` / `NEO4J_DATABASE` too) or a `.env` file.
Secrets have no defaults. Each field's description is its documentation; a test checks the README
lists them all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "narrative-graph"


def _env(name: str) -> AliasChoices:
    # An alias replaces the prefix, so both spellings are listed: NARRATIVES_NEO4J_URI and NEO4J_URI.
    return AliasChoices(f"NARRATIVES_NEO4J_{name}", f"NEO4J_{name}")


class Settings(BaseSettings):
    """Configuration for the CLI, the API and the stores."""

    model_config = SettingsConfigDict(env_prefix="NARRATIVES_", env_file=".env", extra="ignore")

    store: Literal["memory", "neo4j"] = Field(
        "memory", description="Which graph store to use: the embedded `memory` store or `neo4j`."
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Where the embedded store keeps its graph (default `$XDG_DATA_HOME/narrative-graph`).",
    )
    neo4j_uri: str = Field(
        "bolt://127.0.0.1:7687",
        validation_alias=_env("URI"),
        description="Neo4j connection URI (`bolt://`, `neo4j://`, or `neo4j+s://` for a cluster or Aura).",
    )
    neo4j_user: str = Field("neo4j", validation_alias=_env("USER"), description="Neo4j user name.")
    neo4j_password: SecretStr | None = Field(
        None,
        validation_alias=_env("PASSWORD"),
        description="Neo4j password; no default. Unset means no authentication (a local test server).",
    )
    neo4j_database: str = Field(
        "neo4j", validation_alias=_env("DATABASE"), description="Neo4j database name."
    )
    api_token: SecretStr | None = Field(
        None,
        description="Bearer token for API writes (and reads when `protect_reads`); no default. "
        "Unset disables writes.",
    )
    protect_reads: bool = Field(False, description="Require the API token for reads too.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser (JSON list)."
    )
    frame_ancestors: str = Field(
        "'self'",
        description="CSP `frame-ancestors` of embeddable views: who may put a view in an iframe.",
    )
    max_upload_mb: int = Field(200, ge=1, description="Largest file `POST /ingest` accepts, in MiB.")
    host: str = Field("127.0.0.1", description="Address `narratives serve` listens on.")
    port: int = Field(8000, description="Port `narratives serve` listens on.")
    workers: int = Field(
        1,
        ge=1,
        description="Server processes `narratives serve` runs; one per core answers more requests at once "
        "(each embedded-store worker keeps its own copy of the graph).",
    )
    max_depth: int = Field(3, ge=0, le=3, description="Deepest neighbourhood a request may ask for.")
    max_limit: int = Field(5000, ge=1, description="Most nodes a traversal may return.")
    max_page_size: int = Field(500, ge=1, description="Largest page of a list.")
    hub_degree: int = Field(
        200, ge=1, description="Nodes with more edges than this are not passed through by path search."
    )
    link_after_load: bool = Field(True, description="Compute lexical SIMILAR_TO links after every load.")
    similarity_top_k: int = Field(10, ge=1, description="Most similar claims linked to each claim.")
    similarity_threshold: float = Field(
        0.35, ge=0, le=1, description="Lowest score a computed SIMILAR_TO link may have."
    )
    recurrence_threshold: float = Field(
        0.8, ge=0, le=1, description="Lowest score at which two claims count as one recurring claim."
    )
    comeback_gap_days: int = Field(
        90, ge=1, description="A narrative that reappears after this many quiet days has come back."
    )

    @field_validator("api_token", "neo4j_password", mode="before")
    @classmethod
    def _empty_secret_is_unset(cls, value: object) -> object:
        # `NARRATIVES_API_TOKEN=` in a compose file or .env means "no token", never "the empty token".
        return None if value == "" else value
