from .ptce import (
    Charter,
    Member,
    MemberCategory,
    NationalCallAward,
    Ptce,
    PtceStatus,
    commune_departement,
)
from .reference import LegalForm, Stage, Theme
from .support import Experience, Support

__all__ = [
    "Charter",
    "Experience",
    "LegalForm",
    "Member",
    "MemberCategory",
    "NationalCallAward",
    "Ptce",
    "PtceStatus",
    "Stage",
    "Support",
    "Theme",
    "commune_departement",
]
