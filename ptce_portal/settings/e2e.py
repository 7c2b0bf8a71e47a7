"""Browser tests (``make test-e2e``): the test settings, served by a real server process.

The harness in ``tests/e2e/conftest.py`` runs ``manage.py runserver --noreload`` with these
settings and a throw-away SQLite database given by ``DATABASE_URL``. ``DEBUG`` stays off (the
pages are checked as the public sees them); WhiteNoise serves the static files straight from
the finders, so no ``collectstatic`` is needed.
"""

from .env import cache_from_env
from .test import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A real server process: its cache comes from the environment (REDIS_URL), as in production.
CACHES = cache_from_env()
