"""Who may do what: anyone reads; staff with the model's permissions write."""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions

from budapest.security import is_staff


class ReadOnlyOrStaffWithModelPermissions(DjangoModelPermissions):
    """Reads for everyone (what they read is narrowed by the queryset); writes for staff holding add/change rights.

    Partners' tokens belong to users who are not staff, so a token alone never writes.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if not is_staff(request.user):
            return False
        return super().has_permission(request, view)
