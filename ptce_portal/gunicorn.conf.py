"""gunicorn settings of ``make serve`` (and of the systemd unit in docs/deployment.md).

Workers: ``WEB_CONCURRENCY`` or 2 × cores + 1, at most 9 (sync workers: one request each;
the portal's requests are short, mostly answered from the cache). Requests are bounded by the
portal itself (a deadline and a statement timeout, see docs/deployment.md); gunicorn's
``timeout`` is the last resort for a stuck worker."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 9))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers rarely (bounded memory), not all at once: a new worker costs about a second
# of CPU and starts with an empty copy of the recent pages (scripts/bench/load.py).
max_requests = 100000
max_requests_jitter = 10000
accesslog = "-"
errorlog = "-"
# The header nginx sets; gunicorn trusts it from these addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket (gunicornc) is not used; under a hardened systemd unit its default
# place ($HOME/.gunicorn) is read-only.
control_socket_disable = True
