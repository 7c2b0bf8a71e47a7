"""What every JSON endpoint answers with.

- Errors have one shape: ``{"error": message, "parameter": name}`` (``parameter`` only when
  one parameter is at fault), with ``Cache-Control: no-store``.
- Payloads built from public data are stored gzipped (``Payload``) with a weak ``ETag`` and
  ``Last-Modified`` (the time of the public-data version); a client's current copy gets a
  304, and the body goes out gzipped when the client accepts it. ``Last-Modified`` has a
  one-second resolution, which cannot tell two changes of the same second apart: it is sent
  only once the change is two seconds old (until then, ``ETag`` alone serves).
"""

import gzip
import hashlib
import json
import re
import time
from dataclasses import dataclass

from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

GEOJSON = "application/geo+json"
JSON = "application/json"
# Data that changes with every edit: stored by browsers, revalidated each time (304s).
REVALIDATE = "public, no-cache"
# Territory outlines: rebuilt once a year, with a deployment.
LONG_LIVED = "public, max-age=604800"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def compact_json(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def error_response(status, message, parameter=None):
    body = {"error": str(message)}
    if parameter is not None:
        body["parameter"] = parameter
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class Payload:
    """A JSON body stored gzipped, with what conditional requests need."""

    gzipped: bytes
    etag: str
    last_modified: int
    length: int

    @classmethod
    def build(cls, body, last_modified):
        return cls(
            gzipped=gzip.compress(body, compresslevel=6, mtime=0),
            etag=f'W/"{hashlib.sha256(body).hexdigest()[:32]}"',
            last_modified=last_modified,
            length=len(body),
        )

    def body(self):
        return gzip.decompress(self.gzipped)


def payload_response(request, payload, content_type, cache_control=REVALIDATE):
    """``payload`` as a response: 304 when the client's copy is current, gzipped when the
    client accepts it."""
    response = HttpResponse(content_type=content_type)
    response["ETag"] = payload.etag
    settled = time.time() >= payload.last_modified + 2
    if settled:
        response["Last-Modified"] = http_date(payload.last_modified)
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Accept-Encoding"])
    conditional = get_conditional_response(
        request,
        etag=payload.etag,
        last_modified=payload.last_modified if settled else None,
        response=response,
    )
    if conditional is not response:
        return conditional
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response.content = payload.gzipped
        response["Content-Encoding"] = "gzip"
    else:
        response.content = payload.body()
    response["Content-Length"] = str(len(response.content))
    return response
