"""The lenient FilterSet of ``core.lenient`` with territory parameters resolved by official
code (``?region=84``)."""

from core.lenient import LenientFilterSet as BaseLenientFilterSet

from .models import Territory


def resolve_territory(kind, value):
    """The territory of this level with this official code, or None."""
    code = value.upper()
    if len(code) > 9 or not code.isalnum():
        return None
    return Territory.objects.filter(kind=kind, code=code).first()


class LenientFilterSet(BaseLenientFilterSet):
    def resolve_territory(self, kind, value):
        return resolve_territory(kind, value)
