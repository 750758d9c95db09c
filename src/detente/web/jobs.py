"""Long runs as jobs.

A job is started by ``POST`` (``202`` and the job's URLs), reports its progress by
server-sent events, and its result is kept and fetchable afterwards.

A job runs one task (:mod:`detente.web.workers`) on the job pool, apart from the
analyses the editor asks for. The store keeps the last :data:`KEEP` jobs; it refuses a
new job (:class:`~detente.web.workers.Busy`) while as many are queued or running as the
job pool has workers and queue places.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from detente.web.workers import Busy, TaskError, WorkerPool

__all__ = ["KEEP", "Job", "JobStore"]

KEEP = 32
HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream

Status = Literal["queued", "running", "done", "failed"]


@dataclass(eq=False)
class Job:
    """One job: what it runs, where it stands, and its result once done."""

    id: str
    kind: str
    scenario: str | None
    status: Status = "queued"
    created: float = field(default_factory=time.time)
    progress: dict[str, Any] | None = None
    status_code: int | None = None
    media_type: str | None = None
    result: bytes | None = None
    error: str | None = None
    version: int = 0
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def finished(self) -> bool:
        """Whether the job is done or failed."""
        return self.status in ("done", "failed")

    def to_dict(self) -> dict[str, Any]:
        """The job's JSON (``GET /api/jobs/{id}``)."""
        base = f"/api/jobs/{self.id}"
        return {
            "id": self.id,
            "kind": self.kind,
            "scenario": self.scenario,
            "status": self.status,
            "progress": self.progress,
            "url": base,
            "events": f"{base}/events",
            "result": f"{base}/result" if self.status == "done" else None,
            "result_status": self.status_code,
            "error": self.error,
        }

    async def _touch(self) -> None:
        async with self.changed:
            self.version += 1
            self.changed.notify_all()


class JobStore:
    """The jobs of one server (in memory; a restart forgets them)."""

    def __init__(self, pool: WorkerPool, *, keep: int = KEEP, seconds: float | None = None) -> None:
        self.pool = pool
        self.keep = keep
        self.seconds = seconds
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()

    def active(self) -> int:
        """Jobs queued or running."""
        return sum(1 for j in self._jobs.values() if not j.finished)

    def submit(self, kind: str, task: str, payload: Any, scenario: str | None = None) -> Job:
        """Start a job running ``task``; raise :class:`Busy` when the job pool is full."""
        if self.active() >= self.pool.size + self.pool.queue:
            raise Busy(5)
        job = Job(id=uuid.uuid4().hex[:16], kind=kind, scenario=scenario)
        self._jobs[job.id] = job
        while len(self._jobs) > self.keep:
            oldest = next((k for k, j in self._jobs.items() if j.finished), None)
            if oldest is None:
                break
            del self._jobs[oldest]
        t = asyncio.get_running_loop().create_task(self._run(job, task, payload))
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job ``job_id``, if kept."""
        return self._jobs.get(job_id)

    async def _run(self, job: Job, task: str, payload: Any) -> None:
        loop = asyncio.get_running_loop()

        def progress(data: dict[str, Any]) -> None:
            job.status = "running"
            job.progress = data
            t = loop.create_task(job._touch())
            self._tasks.add(t)
            t.add_done_callback(self._tasks.discard)

        job.status = "queued"
        try:
            code, media, body = await self.pool.run(
                task, payload, seconds=self.seconds, on_progress=progress
            )
        except TaskError as err:
            job.status, job.error = "failed", str(err)
        except Exception:  # never reaches a client as a trace
            job.status, job.error = "failed", "the job failed unexpectedly"
        else:
            job.status_code, job.media_type, job.result = code, media, body
            job.status = "done" if code < 400 else "failed"
            if code >= 400:
                job.error = _first_message(body)
        await job._touch()

    async def events(self, job: Job) -> AsyncIterator[str]:
        """Server-sent events of ``job``.

        ``progress`` on each change, then ``done`` or ``failed`` (with the job's JSON),
        then the stream ends.
        """
        seen = -1
        while True:
            if job.version != seen:
                seen = job.version
                kind = job.status if job.finished else "progress"
                yield f"event: {kind}\ndata: {json.dumps(job.to_dict())}\n\n"
                if job.finished:
                    return
            async with job.changed:
                try:
                    await asyncio.wait_for(job.changed.wait_for(_changed(job, seen)), HEARTBEAT)
                except TimeoutError:
                    yield ": keep-alive\n\n"

    async def close(self) -> None:
        """Cancel the jobs still running."""
        for t in list(self._tasks):
            t.cancel()


def _changed(job: Job, seen: int) -> Callable[[], bool]:
    return lambda: job.version != seen


def _first_message(body: bytes) -> str:
    try:
        doc = json.loads(body)
        return str(doc["problems"][0]["message"])
    except (ValueError, KeyError, IndexError, TypeError):
        return "the job was refused"
