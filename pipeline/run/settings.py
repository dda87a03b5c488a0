"""The settings of a run, one validated dataclass: which engine reads the pages, how many
workers, where (local processes or a Dask cluster), templates and 档号 pattern."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ...errors import UsageError
from ...ocr.engines import DEFAULT_ENGINE, engine_name, get_engine_class
from ..export.catalogue import ArchiveCode

# where pages are read: a pool of local processes (the default) or a Dask cluster
EXECUTORS = ("processes", "dask")


@dataclass(frozen=True)
class Settings:
    engine: str = DEFAULT_ENGINE
    jobs: int = 0  # 0: one worker per core
    templates: Path | None = None
    # how 档号 are formed in catalogue.csv; None in reparse: as the earlier run of OUT did
    archive_code: ArchiveCode | None = None
    force: bool = False  # redo items an earlier run of OUT finished with the same input and settings
    executor: str = "processes"  # or "dask"
    scheduler: str | None = None  # a Dask scheduler's address; None: a local Dask cluster

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise UsageError("--jobs must be 0 (all cores) or a positive number")
        if self.executor not in EXECUTORS:
            raise UsageError(f"unknown executor {self.executor!r}; known: {', '.join(EXECUTORS)}")
        if self.scheduler is not None and self.executor != "dask":
            raise UsageError("--scheduler is for --executor dask")
        get_engine_class(self.engine)  # raises UnknownEngineError listing the known names
        # a run records (and is resumed by) the engine's own name, never an alias
        object.__setattr__(self, "engine", engine_name(self.engine))

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1
