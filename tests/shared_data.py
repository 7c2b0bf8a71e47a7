"""Data made once for the tests of a class, for families of many tests that only read it.

A class-scoped fixture builds it inside ``rolled_back()``: a transaction rolled back when the
class is done. Each test still runs in its own savepoint inside it (it must ask for ``db``),
rolled back after it, and starts with an empty cache (``tests/conftest.py``). Only in a class:
a module-scoped fixture would outlive its tests and show its rows to the next tests of the
module, whichever pytest-xdist worker runs them."""

import contextlib

from django.db import transaction


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
