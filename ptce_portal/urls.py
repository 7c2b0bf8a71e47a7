"""Top-level URLs: each app mounts its own, the API at the root (``/api/v1/…``,
``/territoires/recherche.json``)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("", include("directory.urls")),
    path("", include("collectivites.urls")),
    path("", include("pages.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
