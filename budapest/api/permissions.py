"""Who may do what: anyone reads; staff with the model's permissions write."""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


class ReadOnlyOrStaffWithModelPermissions(DjangoModelPermissions):
    """Reads for everyone (what they read is narrowed by the queryset); writes for staff holding add/change rights.

    Partners' tokens belong to users who are not staff, so a token alone never writes.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        return super().has_permission(request, view)
