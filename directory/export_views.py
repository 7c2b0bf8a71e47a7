"""``/ptce/export.csv`` and ``/ptce/export.xlsx``: the published PTCEs of the directory's
current filters, in the import format (``directory.services.ptce_export``); and
``/donnees/schema-ptce.json``, the Table Schema of that format (``ptce_columns``).

The filters are the list's (``PtceFilterSet``, lenient: a bad value is left out, as on
``/ptce/``); only published PTCEs, whatever the parameters. The file is produced as it is
sent (CSV streamed, XLSX through a temporary file: memory stays flat at 10,000 PTCEs); a
client holding the current file gets a 304 (``ETag`` keyed by the cache rule: version,
release and the cleaned filters; ``Last-Modified``: the time the public-data version moved).
"""

import hashlib
import json

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views import View

from core.cache import cached, current_version, key

from .filters import PtceFilterSet
from .models import Ptce
from .services import ptce_export
from .services.ptce_columns import table_schema

NOT_KEYED = {"page"}


def export_parts(filterset):
    """The cleaned filters and the sort (what the file depends on besides the version)."""
    data = filterset.form.data
    return sorted((name, sorted(data.getlist(name))) for name in data if name not in NOT_KEYED)


class PtceExportView(View):
    http_method_names = ["get", "head"]
    extension = "csv"

    def get(self, request, *args, **kwargs):
        filterset = PtceFilterSet(request.GET, queryset=Ptce.objects.published(), request=request)
        digest = hashlib.sha256(
            key(f"directory:export-{self.extension}", export_parts(filterset)).encode()
        ).hexdigest()[:32]
        etag = f'"{digest}"'
        last_modified = current_version().timestamp
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return not_modified
        queryset = filterset.sorted_qs()
        if self.extension == "csv":
            response = StreamingHttpResponse(
                ptce_export.csv_chunks(queryset),
                content_type=ptce_export.CONTENT_TYPES["csv"],
            )
        else:
            content = ptce_export.xlsx_content(queryset)
            response_class = HttpResponse if isinstance(content, bytes) else FileResponse
            response = response_class(content, content_type=ptce_export.CONTENT_TYPES["xlsx"])
        response["Content-Disposition"] = (
            f'attachment; filename="{ptce_export.filename(self.extension)}"'
        )
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, no_cache=True)
        return response


def schema_json():
    return json.dumps(table_schema(), ensure_ascii=False, indent=2).encode()


class PtceSchemaView(View):
    """The Table Schema (frictionless) of the exports, cached until public data change (its
    enumerations are the reference lists)."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        body = cached("directory:schema-ptce", schema_json)
        response = HttpResponse(body, content_type="application/json")
        patch_cache_control(response, public=True, no_cache=True)
        return response
