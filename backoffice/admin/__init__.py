"""Every model's admin, registered here (the admin autodiscovery imports this package)."""

from . import curators, knowledge, links, ptce, references  # noqa: F401 - they register
