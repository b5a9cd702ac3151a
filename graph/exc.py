"""One error hierarchy for narrative-graph.

Every error the product raises on purpose is a `NarrativeGraphError`; the API maps each class to one
HTTP status and one JSON shape, the CLI prints it as one line.
"""

from __future__ import annotations


class NarrativeGraphError(Exception):
    """Base of every error narrative-graph raises on purpose."""

    status_code = 500
    code = "internal_error"


class InvalidInputError(NarrativeGraphError, ValueError):
    """A caller supplied something the product cannot use (a bad parameter, a bad id)."""

    status_code = 422
    code = "invalid_input"


class InvalidIdError(InvalidInputError):
    """A string is not a node id of the ontology."""

    code = "invalid_id"


class OntologyError(InvalidInputError):
    """A node or edge does not fit the ontology (unknown property, wrong endpoint labels)."""

    code = "ontology_violation"


class LimitExceededError(InvalidInputError):
    """A request asks for more than the configured limits allow."""

    code = "limit_exceeded"


class NotFoundError(NarrativeGraphError, LookupError):
    """A node, edge or resource does not exist."""

    status_code = 404
    code = "not_found"


class MissingEndpointError(NotFoundError):
    """An edge names a node that is not in the store."""

    code = "missing_endpoint"


class StoreUnavailableError(NarrativeGraphError):
    """The graph store cannot be reached (Neo4j down, data directory unreadable)."""

    status_code = 503
    code = "store_unavailable"


class AuthError(NarrativeGraphError):
    """A request lacks the token a write (or a protected read) needs."""

    status_code = 401
    code = "unauthorised"


class WritesDisabledError(AuthError):
    """No API token is configured, so writes are disabled."""

    status_code = 403
    code = "writes_disabled"


class LoadError(NarrativeGraphError):
    """An input file cannot be loaded at all (empty, unrecognised, unreadable)."""

    status_code = 422
    code = "load_error"

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        where = file if line is None else f"{file}:{line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.line = line
        self.reason = message


class RejectedRowError(LoadError):
    """One row, line or record of an input is bad; the load reports it and goes on."""

    code = "rejected_row"
