"""WSGI entry point (gunicorn: ``make serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptce_portal.settings.production")
# Web requests get a statement timeout and a deadline; commands and shells do not.
os.environ.setdefault("PORTAL_PROCESS", "web")

application = get_wsgi_application()
