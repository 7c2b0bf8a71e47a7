"""Every model's admin, registered here (the admin autodiscovery imports this package)."""

from . import (  # noqa: F401 - they register
    alerts,
    curators,
    knowledge,
    links,
    ptce,
    references,
    suggestions,
)
