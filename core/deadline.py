"""A deadline for each web request, so that a database that hangs cannot hang the site.

A PostgreSQL server that stops answering (frozen, or its network gone silent) leaves an open
connection waiting for ever: neither the statement timeout (the server enforces it) nor the
connect timeout (the connection is already open) helps. In gunicorn's sync workers, each
request runs in the process's main thread: an interval timer (``SIGALRM``) interrupts it
after ``settings.REQUEST_DEADLINE_SECONDS`` (``REQUEST_DEADLINE_ADMIN_SECONDS`` for the
back-office, whose imports take longer) and raises ``DeadlineExceeded``, which the error
handler (``core.errors``) answers with a 503. Outside the main thread (the development
server's threads) or with a deadline of 0, nothing is armed.
"""

import signal
import threading

from django.conf import settings


class DeadlineExceeded(Exception):
    """The request ran out of time (most likely waiting for the database)."""


def _expire(signum, frame):
    raise DeadlineExceeded("request deadline exceeded")


def deadline_for(path):
    admin = path.startswith("/admin/")
    name = "REQUEST_DEADLINE_ADMIN_SECONDS" if admin else "REQUEST_DEADLINE_SECONDS"
    return float(getattr(settings, name, 0) or 0)


class RequestDeadlineMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = deadline_for(request.path)
        if seconds <= 0 or threading.current_thread() is not threading.main_thread():
            return self.get_response(request)
        previous = signal.signal(signal.SIGALRM, _expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return self.get_response(request)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
