from .knowledge import Resource, Scheme, SupportType
from .territory import KIND_RANK, Territory, TerritoryAncestry, TerritoryKind

__all__ = [
    "KIND_RANK",
    "Resource",
    "Scheme",
    "SupportType",
    "Territory",
    "TerritoryAncestry",
    "TerritoryKind",
]
