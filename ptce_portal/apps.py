"""Admin autodiscovery without django-leaflet's ``leaflet.admin``.

``leaflet.admin`` imports ``django.contrib.gis``, which needs GDAL; this portal stores plain
latitude/longitude and runs without GDAL. The stock admin config would import it and make every
``manage.py`` command fail, so autodiscovery skips that one module.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule

SKIPPED_ADMIN_MODULES = {"leaflet"}


class PortalAdminConfig(SimpleAdminConfig):
    default_site = "backoffice.site.PortalAdminSite"

    def ready(self):
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name in SKIPPED_ADMIN_MODULES:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
