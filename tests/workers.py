"""What each pytest-xdist worker keeps to itself (``make test`` runs the suite in parallel).

Every worker is a process of its own with its own test database (pytest-django adds the
worker's name to it), temp folders (``tmp_path``) and free ports. Redis is the one shared
resource: each worker gets a database of its own, 9 for a serial run or ``gw0``, 10 for
``gw1`` and so on up to 15, so that a test flushing it never empties another worker's."""

import os

FIRST_REDIS_DATABASE = 9
LAST_REDIS_DATABASE = 15  # Redis has 16 databases (0-15) unless configured otherwise


def worker_number() -> int:
    """0 for a serial run or ``gw0``, 1 for ``gw1``…"""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(name.removeprefix("gw"))


def redis_test_database() -> int:
    number = FIRST_REDIS_DATABASE + worker_number()
    if number > LAST_REDIS_DATABASE:
        raise RuntimeError(
            f"pytest-xdist worker {worker_number()} would need Redis database {number}: "
            f"run at most {LAST_REDIS_DATABASE - FIRST_REDIS_DATABASE + 1} workers (-n)."
        )
    return number


REDIS_TEST_URL = f"redis://127.0.0.1:6379/{redis_test_database()}"
