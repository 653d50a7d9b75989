"""Static files compressed once, at first use, and served from memory after that (issue 13).

Flask-Compress compresses every answer as it goes out: right for pages, which change, but a
static file is the same bytes every time, and htmx at brotli's best costs ~80 ms of CPU a
request. Here each (file, content, encoding) is compressed once at the best level and kept; a
changed file has a new modification time, so it is compressed again. Flask-Compress leaves an
answer that already has a Content-Encoding alone.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

import brotli
from flask import Flask, Request, Response, request
from werkzeug.security import safe_join

# Mimetypes worth compressing; images and icons are compressed already.
COMPRESSIBLE = frozenset({"text/css", "text/javascript", "application/javascript", "application/manifest+json"})
BEST_BROTLI = 11
BEST_GZIP = 9


@functools.lru_cache(maxsize=128)
def compressed(path: str, modified_ns: int, encoding: str) -> bytes:
    """The file's bytes compressed with `encoding` ("br" or "gzip"); `modified_ns` keys the cache."""
    data = Path(path).read_bytes()
    if encoding == "br":
        return bytes(brotli.compress(data, quality=BEST_BROTLI))
    return gzip.compress(data, compresslevel=BEST_GZIP, mtime=0)


def chosen_encoding(req: Request) -> str | None:
    """Brotli if the browser takes it, else gzip, else None (a q=0 refuses an encoding)."""
    accepted = req.accept_encodings
    for encoding in ("br", "gzip"):
        if accepted[encoding] > 0:
            return encoding
    return None


def attach(app: Flask) -> None:
    """Serve this door's static files pre-compressed. Call after Compress(app): Flask runs
    after-request functions last-registered first, so this one sees the answer before it does."""

    @app.after_request
    def serve_precompressed(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code != 200 or not app.static_folder:
            return response
        response.vary.add("Accept-Encoding")
        encoding = chosen_encoding(request)
        if encoding is None or response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers:
            return response
        filename = str((request.view_args or {}).get("filename", ""))
        path = safe_join(app.static_folder, filename)
        if path is None or not Path(path).is_file():
            return response
        body = compressed(path, Path(path).stat().st_mtime_ns, encoding)
        # send_file's answer holds the file open to stream it: close it, we send our own bytes.
        streamed = response.response
        if hasattr(streamed, "close"):
            streamed.close()
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = encoding
        # A strong ETag names the bytes sent, so each encoding has its own (as Flask-Compress does).
        etag, weak = response.get_etag()
        if etag and not weak:
            response.set_etag(f"{etag}:{encoding}")
            response.make_conditional(request)  # a repeat request with that ETag gets a 304
        return response
