"""Typed errors of gongwen, one module for all stages.

Each error's message is written for an archivist: what is wrong with the file and, where it
helps, what to do.  Library code raises these; the batch runner records them on the item
(status ``failed`` or ``partial``) and goes on; only the CLI maps them to exit codes.
"""

from __future__ import annotations


class GongwenError(Exception):
    """Base of every error gongwen raises on purpose."""


class UsageError(GongwenError):
    """The command line or the settings are wrong (exit code 2)."""


class UnknownEngineError(UsageError):
    def __init__(self, name: str, known: list[str]):
        self.name = name
        self.known = known
        super().__init__(f"unknown OCR engine {name!r}; known engines: {', '.join(known)}")


class EngineUnavailableError(GongwenError):
    """The engine is known but cannot run on this machine (a missing package or binary)."""


class ClusterError(GongwenError):
    """The Dask cluster a run reads its pages on was lost in the middle of the run (its
    scheduler gone): the run stops, the items finished are kept (exit code 2)."""


class OutputError(GongwenError):
    """The output folder cannot be made or written (exit code 2, before any work is done)."""


class InputError(GongwenError):
    """An input file cannot be read as a scan; the item fails, the batch goes on."""


class EmptyFileError(InputError):
    pass


class UnknownFormatError(InputError):
    pass


class DamagedFileError(InputError):
    pass


class EncryptedPdfError(InputError):
    pass


class PageTooLargeError(InputError):
    pass


class PageTooSmallError(InputError):
    pass
