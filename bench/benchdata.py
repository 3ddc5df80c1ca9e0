"""What the load tests need from the database, with the app's own settings (DATABASE_URL etc.).

benchdata.py urls FILE      the pages readers read, as JSON, for bench/locustfile.py
benchdata.py token          a staff user's API token for the writer (made if missing)
benchdata.py counts         the rows of the tables that hold records, as JSON
benchdata.py saved FILE     check that every meeting the writer was told was saved is there
"""

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "budapest.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from actors.models import Actor  # noqa: E402
from meetings.models import Meeting, MeetingSeries, PriorityGoal  # noqa: E402


def urls(path: str) -> None:
    meetings = [m.get_absolute_url() for m in Meeting.objects.published()]
    data = {
        "meetings": meetings,
        "countries": [a.get_absolute_url() for a in Actor.objects.countries().filter(participations__isnull=False)],
        "organisations": [
            a.get_absolute_url() for a in Actor.objects.organisations().filter(participations__isnull=False)
        ],
        "goals": [g.get_absolute_url() for g in PriorityGoal.objects.all()],
        "words": ["return", "border", "covid", "labour+migration", "Turkey", "priority+goal", "Silk+Routes"],
        "api": [
            "/api/v1/meetings/",
            *(f"/api/v1/meetings/{m.slug}/" for m in Meeting.objects.published()),
            "/api/v1/interventions/?country=TR",
            "/api/v1/countries/",
            "/api/v1/priority-goals/",
        ],
        "series": MeetingSeries.objects.values_list("slug", flat=True).first(),
    }
    Path(path).write_text(json.dumps(data, indent=1))
    sys.stdout.write(f"{path}: {sum(len(v) for v in data.values() if isinstance(v, list))} addresses\n")


def token(password: str = "") -> None:
    user, _ = User.objects.get_or_create(username="bench-writer", defaults={"is_staff": True, "is_superuser": True})
    if password:
        user.set_password(password)
        user.save()
    sys.stdout.write(Token.objects.get_or_create(user=user)[0].key + "\n")


def counts() -> None:
    models = [m for m in apps.get_models() if m._meta.app_label in ("actors", "meetings", "auth")]
    sys.stdout.write(json.dumps({m._meta.label_lower: m._base_manager.count() for m in models}, sort_keys=True) + "\n")


def saved(path: str) -> None:
    slugs = json.loads(Path(path).read_text())["saved"]
    found = set(Meeting.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    missing = sorted(set(slugs) - found)
    sys.stdout.write(json.dumps({"acknowledged": len(slugs), "found": len(found), "missing": missing}) + "\n")
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    commands: dict[str, Callable[..., None]] = {"urls": urls, "token": token, "counts": counts, "saved": saved}
    commands[command](*arguments)
