from .support import Experience, Resource, Scheme, Support, SupportType
from .territory import KIND_RANK, Territory, TerritoryAncestry, TerritoryKind

__all__ = [
    "KIND_RANK",
    "Experience",
    "Resource",
    "Scheme",
    "Support",
    "SupportType",
    "Territory",
    "TerritoryAncestry",
    "TerritoryKind",
]
