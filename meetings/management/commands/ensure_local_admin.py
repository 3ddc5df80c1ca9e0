"""Give a newcomer a local admin account with a generated password, and tell them how to sign in."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a local superuser 'admin' with a generated password (development only) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--password-file",
            default=str(settings.BASE_DIR / ".local-admin-password"),
            help="Where the generated password is kept (git-ignored), so that it can be shown again.",
        )

    def handle(self, *args, username: str, password_file: str, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create an account with a generated password when DJANGO_DEBUG is off.")
        User = get_user_model()
        path = Path(password_file)
        if User.objects.filter(username=username).exists():
            if path.exists():
                password = path.read_text().strip()
                self._say(username, password)
            else:
                self.stdout.write(
                    f"An admin account '{username}' exists. Forgot its password? "
                    f"Run: .venv/bin/python manage.py changepassword {username}"
                )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        path.write_text(password + "\n")
        path.chmod(0o600)
        self._say(username, password)

    def _say(self, username: str, password: str) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Sign in to the admin at /admin/ as '{username}' with password: {password}\n"
                f"(generated for this machine only; kept in .local-admin-password)"
            )
        )
