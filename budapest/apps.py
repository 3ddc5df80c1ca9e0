"""The project package as an app, for what must be wired when Django starts: receivers of Django's own signals."""

from django.apps import AppConfig


class BudapestConfig(AppConfig):
    name = "budapest"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .security import stamp_session

        # Signing in stamps the session, so that the request after it saves nothing (budapest.security).
        user_logged_in.connect(stamp_session, dispatch_uid="budapest.security.stamp_session")
