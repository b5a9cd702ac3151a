"""`POST /ingest`: an uploaded file through the same loaders and runner as `narratives load`."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep, WriteAuth, refresh_matcher
from api.errors import BODY_ERRORS
from api.models import LoadReportOut
from graph.exc import InvalidInputError, LoadError
from loaders.runner import Runner

router = APIRouter(prefix="/ingest", tags=["ingest"])

_SAFE_NAME = re.compile(r"[^\w.\-]+")
_CHUNK = 1 << 20


def _safe_name(name: str | None, fallback: str) -> str:
    # Provenance records the file's name; the path on disk is ours, never the client's.
    base = Path(name or "").name
    base = _SAFE_NAME.sub("_", base).strip("._")
    return base[:120] or fallback


async def _save(upload: UploadFile, folder: Path, fallback: str, limit: int) -> Path:
    path = folder / _safe_name(upload.filename, fallback)
    size = 0
    with path.open("wb") as fh:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise InvalidInputError(f"form field 'file': larger than {limit // (1 << 20)} MiB")
            fh.write(chunk)
    return path


@router.post("", response_model=LoadReportOut, dependencies=[WriteAuth], responses=BODY_ERRORS)
async def ingest(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="The file to load (CSV, JSON-LD, text, …).")],
    format: Annotated[
        str, Form(max_length=50, description="A loader's format name, or `auto` to detect it.")
    ] = "auto",
    mapping: Annotated[
        UploadFile | None, File(description="A YAML mapping for the `mapping` format.")
    ] = None,
) -> LoadReportOut:
    """Loads one uploaded file and reports what it did (rejections as `file:line: reason`). Needs a token."""
    limit = settings.max_upload_mb << 20
    with tempfile.TemporaryDirectory(prefix="narratives-ingest-") as tmp:
        folder = Path(tmp)
        path = await _save(file, folder, "upload", limit)
        mapping_path = None
        if mapping is not None and mapping.filename:
            (folder / "mapping").mkdir()
            mapping_path = await _save(mapping, folder / "mapping", "mapping.yaml", limit)
        runner = Runner(store, settings)
        try:
            report = await run_in_threadpool(runner.load, [path], format, mapping_path)
        except LoadError as exc:
            # Name the upload as the client knows it, not our temporary path.
            raise LoadError(str(exc).replace(str(folder) + "/", "")) from exc
        data = report.as_dict()
    prefix = str(folder) + "/"
    for entry in data["files"]:
        entry["path"] = Path(entry["path"]).name
    data["rejections"] = [r.replace(prefix, "") for r in data["rejections"]]
    await run_in_threadpool(refresh_matcher, request)
    return LoadReportOut.model_validate(data)
