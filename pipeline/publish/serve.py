"""``gongwen publish --serve``: the published site over http on this machine, to preview it as a
reader will see it (the full-text search needs http: a browser lets no page opened from the
disk fetch the index).  Python's own static file server, on 127.0.0.1 by default; for the real
site use any web server, the site is plain files."""

from __future__ import annotations

import functools
import http.server
import logging
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".gw": "application/octet-stream",
                      ".js": "text/javascript", ".html": "text/html; charset=utf-8",
                      ".css": "text/css; charset=utf-8"}

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        log.debug("%s %s", self.address_string(), format % args)


def site_server(site: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> http.server.ThreadingHTTPServer:
    """A server of the files of ``site`` (port 0: any free port); ``serve_forever`` runs it."""
    handler = functools.partial(_SiteHandler, directory=str(site))
    return http.server.ThreadingHTTPServer((host, port), handler)
