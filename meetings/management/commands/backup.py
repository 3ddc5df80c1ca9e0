"""Write the records and the uploaded files to one dated archive: backups/budapest-YYYYMMDD-HHMMSS.tar.gz.

The archive holds data.json (dumpdata of every table but those Django rebuilds or that only hold
passing state), manifest.json (when, from which migrations, how many rows of each model) and media/
(MEDIA_ROOT, when the site keeps uploads). `manage.py restore` loads it into an empty database.
"""

import datetime
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT_VERSION = 1

# Not backed up: rebuilt by migrate (content types, permissions), or passing state (sessions, the
# sign-in lockout's attempt counts). Content types and permissions are referred to by natural key.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


def backed_up_models():
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in excluded_apps or meta.label_lower in excluded_models:
            continue
        yield model


def applied_migrations(using: str) -> dict[str, str]:
    """The last applied migration of each app, to tell whether a database can take this backup."""
    latest: dict[str, str] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        latest[app] = max(latest.get(app, name), name)
    return latest


class Command(BaseCommand):
    help = "Write the records and uploaded files to backups/budapest-YYYYMMDD-HHMMSS.tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=os.environ.get("BACKUP_DIR", str(settings.BASE_DIR / "backups")),
            help="Folder for the archive (default: backups/, or $BACKUP_DIR).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output_dir, database, **options):
        now = datetime.datetime.now(tz=datetime.UTC)
        output = Path(output_dir)
        output.mkdir(parents=True, exist_ok=True)
        target = output / f"budapest-{now:%Y%m%d-%H%M%S}.tar.gz"

        with tempfile.TemporaryDirectory() as tmp:
            data_path = Path(tmp) / "data.json"
            # One snapshot: the rows and their counts agree even while staff keep editing. (Inside a
            # transaction already begun, as in tests, that transaction's view is the snapshot.)
            connection = connections[database]
            outermost = not connection.in_atomic_block
            with transaction.atomic(using=database):
                if connection.vendor == "postgresql" and outermost:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                call_command(
                    "dumpdata",
                    natural_foreign=True,
                    # Views behind unmanaged models (actors.Voice) hold no rows of their own.
                    exclude=EXCLUDED + [m._meta.label for m in apps.get_models() if not m._meta.managed],
                    output=str(data_path),
                    database=database,
                    verbosity=0,
                )
                counts = {
                    model._meta.label_lower: model._base_manager.using(database).count() for model in backed_up_models()
                }
            media_root = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None
            has_media = bool(media_root and media_root.is_dir())
            manifest = {
                "format": FORMAT_VERSION,
                "created": now.isoformat(timespec="seconds"),
                "django": django.get_version(),
                "database": connections[database].vendor,
                "migrations": applied_migrations(database),
                "counts": counts,
                "media": has_media,
            }
            # Written beside the target and renamed at the end: a half-written archive never has the final name.
            partial = target.with_name(target.name + ".partial")
            with tarfile.open(partial, "w:gz") as archive:
                manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(manifest_bytes), int(now.timestamp())
                archive.addfile(info, io.BytesIO(manifest_bytes))
                archive.add(data_path, arcname="data.json")
                if has_media:
                    archive.add(media_root, arcname="media")
            partial.rename(target)

        rows = sum(counts.values())
        self.stdout.write(f"{target} ({rows} rows in {len(counts)} tables{', with media' if has_media else ''})")
