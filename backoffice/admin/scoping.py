"""ModelAdmin mixins that ask ``backoffice.permissions`` for everything: view, add, change,
delete (one object, a bulk deletion), inlines, choices of départements, moves out of scope.
Django's per-model permissions are not used: roles replace them."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .. import permissions


def scope(request):
    return permissions.scope_of(request.user)


class RoleAdminMixin:
    """Every staff account sees everything; who changes what is the subclass's business
    (``may_change(scope, obj)``; ``obj`` None means "some object")."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def may_change(self, scope, obj):
        return permissions.may_change_shared(scope)

    def has_add_permission(self, request, *args):
        return self.may_change(scope(request), None)

    def has_change_permission(self, request, obj=None):
        return self._decide(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._decide(request, obj)

    def _decide(self, request, obj):
        """Decided once per object and request, on the object as it was read: a bound form
        changes the instance in place (an invalid move out of the scope must not turn the
        page it is shown on into a read-only one)."""
        if obj is None or obj.pk is None:
            return self.may_change(scope(request), obj)
        decisions = request.__dict__.setdefault("_role_decisions", {})
        key = (self.model._meta.label, obj.pk)
        if key not in decisions:
            decisions[key] = self.may_change(scope(request), obj)
        return decisions[key]

    def delete_queryset(self, request, queryset):
        current = scope(request)
        if any(not self.may_change(current, obj) for obj in queryset):
            raise PermissionDenied(_("Certaines de ces fiches ne sont pas de votre ressort."))
        super().delete_queryset(request, queryset)


class RoleInlineMixin:
    """An inline is changed with its parent: the parent's rights are the inline's."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def _parent_editable(self, request, obj):
        parent_admin = admin.site._registry[self.parent_model]
        return parent_admin.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_editable(request, obj)


def scoped_form(form_class, request, obj, check):
    """``form_class`` whose ``clean()`` also runs ``check(scope, cleaned_data, obj)``, which
    raises ``ValidationError`` when the result would leave the user's scope."""
    current = scope(request)

    class ScopedForm(form_class):
        def clean(self):
            cleaned = super().clean()
            check(current, cleaned, obj, self.instance)
            return cleaned

    ScopedForm.__name__ = form_class.__name__
    return ScopedForm


def refuse(message):
    raise ValidationError(message)
