"""The workspace and the bundled examples over HTTP: list, read, save (with versions).

Saving (``PUT /api/files/{name}``) refuses to replace a file unless ``overwrite=true``
(``409`` otherwise) and keeps the replaced file as a version; names are checked by
:func:`detente.web.workspace.check_name` (``400`` for any other name).
"""

from __future__ import annotations

import dataclasses
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from detente.web.api import YAML_TYPES
from detente.web.workspace import Exists, Workspace, WorkspaceError

__all__ = ["example_paths", "router"]

router = APIRouter(prefix="/api")

_TEXT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/yaml": {"schema": {"type": "string"}}},
    }
}


def example_paths() -> dict[str, Path]:
    """The bundled example scenarios by name."""
    folder = Path(str(files("detente") / "examples"))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def _ws(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


def _refuse(err: WorkspaceError) -> JSONResponse:
    status = 409 if isinstance(err, Exists) else 404 if str(err).startswith("no ") else 400
    return JSONResponse({"detail": str(err)}, status_code=status)


def _yaml(text: str) -> Response:
    return Response(text, media_type="application/yaml; charset=utf-8")


@router.get("/examples", summary="The bundled example scenarios")
async def examples() -> dict[str, Any]:
    """The bundled examples: name, title (from the file's ``title:`` line) and URL."""
    return {
        "examples": [
            {"name": n, "title": _title(p), "url": f"/api/examples/{n}"}
            for n, p in example_paths().items()
        ]
    }


def _title(path: Path) -> str | None:
    """The top-level ``title:`` of a bundled file, read without loading it."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("title:"):
            return line[6:].strip().strip("\"'") or None
    return None


@router.get("/examples/{name}", summary="A bundled example's text")
async def example(name: str) -> Response:
    """The YAML text of a bundled example."""
    path = example_paths().get(name)
    if path is None:
        return JSONResponse({"detail": f"no bundled example '{name[:60]}'"}, status_code=404)
    return _yaml(path.read_text(encoding="utf-8"))


@router.get("/files", summary="The workspace's files")
async def list_files(request: Request) -> dict[str, Any]:
    """Every scenario file in the workspace, with its size, time and kept versions."""
    found = await run_in_threadpool(_ws(request).files)
    return {"files": [dataclasses.asdict(f) for f in found]}


@router.get("/files/{name}", summary="A workspace file's text")
async def read_file(request: Request, name: str) -> Response:
    """The text of a workspace file."""
    try:
        return _yaml(await run_in_threadpool(_ws(request).read, name))
    except WorkspaceError as err:
        return _refuse(err)


@router.put(
    "/files/{name}",
    summary="Save a workspace file",
    openapi_extra=_TEXT_BODY,
    responses={201: {"description": "Created."}, 409: {"description": "Exists; ask to overwrite."}},
)
async def save_file(
    request: Request,
    name: str,
    overwrite: bool = Query(
        False, description="Replace an existing file (it is kept as a version)."
    ),
) -> Response:
    """Save the body as ``name`` in the workspace.

    ``201`` new, ``200`` replaced (``kept`` names the version the old text was kept as),
    ``409`` when it exists and ``overwrite`` is false.
    """
    media = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if media not in YAML_TYPES and media != "application/json":
        return JSONResponse(
            {"detail": "send the file as application/yaml or application/json"}, status_code=415
        )
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return JSONResponse({"detail": "the file is not UTF-8 text"}, status_code=400)
    try:
        info, kept = await run_in_threadpool(
            lambda: _ws(request).save(name, text, overwrite=overwrite)
        )
    except WorkspaceError as err:
        return _refuse(err)
    body = {"file": dataclasses.asdict(info), "kept": kept}
    return JSONResponse(body, status_code=200 if kept else 201)


@router.get("/files/{name}/versions", summary="A file's kept versions")
async def versions(request: Request, name: str) -> Response:
    """The versions kept of a workspace file, oldest first."""
    try:
        found = await run_in_threadpool(_ws(request).versions, name)
    except WorkspaceError as err:
        return _refuse(err)
    return JSONResponse({"name": name, "versions": found})


@router.get("/files/{name}/versions/{version}", summary="A kept version's text")
async def read_version(request: Request, name: str, version: str) -> Response:
    """The text of one kept version."""
    try:
        return _yaml(await run_in_threadpool(_ws(request).read_version, name, version))
    except WorkspaceError as err:
        return _refuse(err)
