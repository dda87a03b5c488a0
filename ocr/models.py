"""ONNX models that ship inside pinned wheels, run by gongwen itself on onnxruntime.

:func:`packaged_file` finds a file in an installed package's folder without importing the
package (an import may load a logging setup, read a config or reach for a downloader), and
:class:`LazySession` makes the model's session on its first use in a process, on one thread
(each worker process reads one page at a time; the pool is the parallelism), and keeps it.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from pathlib import Path

from ..errors import EngineUnavailableError

log = logging.getLogger(__name__)


def packaged_file(package: str, parts: tuple[str, ...], requirement: str, purpose: str) -> Path:
    """The file ``parts`` inside the installed ``package``'s folder; a clear
    :class:`EngineUnavailableError` naming ``requirement`` (the pin to install) when the package
    or the file is missing."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailableError(f"{purpose} needs the package {requirement} (pip install '{requirement}')")
    for folder in spec.submodule_search_locations:
        path = Path(folder).joinpath(*parts)
        if path.is_file():
            return path
    raise EngineUnavailableError(f"{requirement} is installed without its model {'/'.join(parts)}")


class LazySession:
    """An onnxruntime session of the model file ``find()`` returns, made on first use, once
    per process (thread-safe), on one thread, logging errors only (its warnings are not ours to
    print)."""

    def __init__(self, find) -> None:
        self._find = find
        self._session = None
        self._lock = threading.Lock()

    def get(self):
        if self._session is None:
            with self._lock:
                if self._session is None:
                    import onnxruntime as ort

                    options = ort.SessionOptions()
                    options.intra_op_num_threads = 1
                    options.inter_op_num_threads = 1
                    options.log_severity_level = 3
                    path = self._find()
                    self._session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
                    log.debug("model loaded from %s", path)
        return self._session
