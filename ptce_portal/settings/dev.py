"""Local development (``manage.py``, ``make run``): the portal as the public sees it, its own
404 and 500 pages included (tracebacks go to the console). ``DEBUG=true`` brings Django's
debug pages back. Static files are served from the source folders (WhiteNoise's finders,
re-read on change) and uploaded files by Django."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True
