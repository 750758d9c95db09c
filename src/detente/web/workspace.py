"""Saving scenario files: only under the workspace folder, never losing a version.

- Names are plain file names (letters, digits, ``.``, ``_``, ``-``; ending in ``.yaml``,
  ``.yml`` or ``.json``): no folders, no ``..``, no absolute paths, no hidden files.
- Nothing is followed out of the workspace: a name that is a symbolic link (or a
  workspace that resolves elsewhere than it says) is refused, and files are opened with
  ``O_NOFOLLOW``.
- Saving under an existing name needs ``overwrite=True``; the current file is first
  kept in ``.versions/<name>/`` (numbered, oldest first; none is ever removed), so
  nothing written is lost.
- Writes go to a temporary file then replace the target in one rename: a reader never
  sees half a file, and concurrent saves of one name are serialised.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from detente.errors import DetenteError

__all__ = ["Exists", "FileInfo", "Workspace", "WorkspaceError", "check_name"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(?:yaml|yml|json)")
VERSIONS = ".versions"


class WorkspaceError(DetenteError):
    """A refused file name or operation (the message says why)."""


class Exists(WorkspaceError):
    """The file exists and ``overwrite`` was not asked for."""


@dataclass(frozen=True)
class FileInfo:
    """A workspace file: its name, size in bytes, modification time, kept versions."""

    name: str
    size: int
    modified: str
    versions: int


def check_name(name: str) -> str:
    """``name`` if it is an allowed file name; raise :class:`WorkspaceError` otherwise."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name:
        raise WorkspaceError(
            f"'{name}' is not an allowed file name: use letters, digits, '.', '_' and '-', "
            "no folders, ending in .yaml, .yml or .json (for example talks-2024.yaml)"
        )
    return name


class Workspace:
    """The folder files are saved in (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root.resolve(strict=True)
        self._lock = threading.Lock()

    def _path(self, name: str) -> Path:
        p = self.root / check_name(name)
        if p.is_symlink():
            raise WorkspaceError(f"'{name}' is a symbolic link; the workspace follows none")
        if p.resolve().parent != self.root:
            raise WorkspaceError(f"'{name}' is outside the workspace")
        return p

    def _versions(self, name: str) -> Path:
        folder = self.root / VERSIONS
        for part in (folder, folder / name):
            if part.is_symlink():
                raise WorkspaceError("the workspace's version folder is a symbolic link")
        return folder / name

    def files(self) -> list[FileInfo]:
        """The workspace's scenario files, by name (links and other files left out)."""
        out = []
        for p in sorted(self.root.iterdir()):
            if p.is_symlink() or not p.is_file() or not _NAME.fullmatch(p.name):
                continue
            st = p.stat()
            when = dt.datetime.fromtimestamp(st.st_mtime, dt.UTC).isoformat(timespec="seconds")
            out.append(FileInfo(p.name, st.st_size, when, len(self.versions(p.name))))
        return out

    def read(self, name: str) -> str:
        """The text of ``name``; raise :class:`WorkspaceError` if there is none."""
        p = self._path(name)
        try:
            fd = os.open(p, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            raise WorkspaceError(f"no file '{name}' in the workspace") from None
        except OSError as err:
            raise WorkspaceError(f"cannot read '{name}': {err.strerror}") from None
        with os.fdopen(fd, "rb") as f:
            return f.read().decode("utf-8", errors="replace")

    def versions(self, name: str) -> list[str]:
        """Kept versions of ``name``, oldest first (ids to pass to :meth:`read_version`)."""
        folder = self._versions(check_name(name))
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink())

    def read_version(self, name: str, version: str) -> str:
        """The text of a kept version of ``name``."""
        if version not in self.versions(name):
            raise WorkspaceError(f"no version '{version}' of '{name}'")
        return (self._versions(name) / version).read_text(encoding="utf-8", errors="replace")

    def save(self, name: str, text: str, *, overwrite: bool = False) -> tuple[FileInfo, str | None]:
        """Write ``text`` as ``name``; return the file and the id of the version kept.

        Raises :class:`Exists` when ``name`` exists and ``overwrite`` is false.
        """
        p = self._path(name)
        data = text.encode("utf-8")
        with self._lock:
            kept = None
            if p.exists():
                if not overwrite:
                    raise Exists(
                        f"'{name}' exists; saving again replaces it (the current file is kept "
                        "as a version): ask to overwrite, or choose another name"
                    )
                kept = self._keep(name, p)
            tmp = self.root / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
            fd = os.open(
                tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644
            )
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, p)
        info = next(i for i in self.files() if i.name == name)
        return info, kept

    def _keep(self, name: str, p: Path) -> str:
        folder = self._versions(name)
        folder.mkdir(parents=True, exist_ok=True)
        existing = self.versions(name)
        n = int(existing[-1].split("-", 1)[0]) + 1 if existing else 1
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        suffix = p.suffix
        version = f"{n:06d}-{stamp}{suffix}"
        (folder / version).write_bytes(p.read_bytes())
        return version
