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

__all__ = [
    "Charter",
    "LegalForm",
    "Member",
    "MemberCategory",
    "NationalCallAward",
    "Ptce",
    "PtceStatus",
    "Stage",
    "Theme",
    "commune_departement",
]
