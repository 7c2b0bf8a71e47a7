"""Top-level URLs."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ptce/", include("directory.urls")),
    path("api/v1/", include("directory.api_urls")),
    path("carte/", include("directory.map_urls")),
    path("", include("collectivites.urls")),
    path("", include("pages.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
