"""Load an archive written by `manage.py backup` into an empty, migrated database.

All or nothing: the rows are loaded in one transaction and counted against the archive's manifest
before it commits. A database that already holds records is refused unless --force, which deletes
everything in it first (in the same transaction, so a failed restore leaves it as it was).
"""

import json
import shutil
import tarfile
import tempfile
from contextlib import suppress
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings

from .backup import FORMAT_VERSION, applied_migrations

# A database "holds records" when any of these has a row; a freshly migrated one has none.
RECORD_APPS = {"actors", "meetings"}
RECORD_MODELS = {"auth.user"}


def records_in(database: str) -> dict[str, int]:
    found = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not (meta.app_label in RECORD_APPS or meta.label_lower in RECORD_MODELS):
            continue
        count = model._base_manager.using(database).count()
        if count:
            found[meta.label_lower] = count
    return found


def flush(database: str) -> None:
    """Delete every row, as `manage.py flush` does, even within a transaction that already wrote rows.

    PostgreSQL refuses to TRUNCATE a table while foreign key checks deferred to the end of the
    transaction are pending; they are run first, then deferred again for the load.
    """
    connection = connections[database]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, database=database, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def read_archive(path: Path, into: Path) -> dict:
    """Unpack data.json, manifest.json and media/ (nothing else, nowhere else) and return the manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = [
                member
                for member in archive.getmembers()
                if member.name in ("data.json", "manifest.json") or member.name.startswith("media/")
            ]
            archive.extractall(into, members=members, filter="data")
    except (OSError, tarfile.TarError) as error:
        raise CommandError(f"{path} is not a backup archive this site can read: {error}") from error
    try:
        manifest = json.loads((into / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"{path} has no readable manifest.json: is it from `manage.py backup`?") from error
    if manifest.get("format") != FORMAT_VERSION or not (into / "data.json").is_file():
        raise CommandError(f"{path} is not a backup of format {FORMAT_VERSION}.")
    return manifest


class Command(BaseCommand):
    help = "Load a backup archive (backups/budapest-….tar.gz) into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete every record in the database (and every uploaded file) before loading the backup.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, archive, force, database, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")

        connection = connections[database]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not fully migrated: run `manage.py migrate` first, then restore.")

        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            manifest = read_archive(path, workdir)

            newer = {
                app: name
                for app, name in manifest["migrations"].items()
                if name > applied_migrations(database).get(app, "")
            }
            if newer:
                raise CommandError(
                    "This backup was made by a newer version of the site (migrations "
                    + ", ".join(f"{app}.{name}" for app, name in sorted(newer.items()))
                    + "): deploy that version and migrate before restoring."
                )

            existing = records_in(database)
            if existing and not force:
                listed = ", ".join(f"{label}: {count}" for label, count in sorted(existing.items()))
                raise CommandError(
                    f"The database already holds records ({listed}). restore loads a backup into an empty "
                    "database: create and migrate a new one, or pass --force to delete everything in this one first."
                )

            media_target = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None
            if manifest.get("media") and media_target and media_target.is_dir() and any(media_target.iterdir()):
                if not force:
                    raise CommandError(f"{media_target} is not empty: pass --force to replace the uploaded files.")

            with transaction.atomic(using=database):
                if existing:
                    flush(database)
                else:
                    # Rows that migrations seed (the editorial groups) give way to the backup's own.
                    for label in manifest["counts"]:
                        with suppress(LookupError):
                            apps.get_model(label)._base_manager.using(database).all().delete()
                # flush rebuilds the content types with new ids; the cache would still hold the old ones.
                ContentType.objects.clear_cache()
                # Loading is not editing: no history rows for the loaded rows and their many-to-many links.
                with override_settings(SIMPLE_HISTORY_ENABLED=False):
                    call_command("loaddata", str(workdir / "data.json"), database=database, verbosity=0)
                self._check_counts(manifest["counts"], database)

            if manifest.get("media"):
                self._restore_media(workdir / "media", media_target)

        total = sum(manifest["counts"].values())
        self.stdout.write(f"Restored {total} rows from {path} (made {manifest['created']}).")

    def _check_counts(self, expected: dict[str, int], database: str) -> None:
        """Every model has exactly the rows the archive had; otherwise the transaction is rolled back."""
        wrong = []
        for label, count in sorted(expected.items()):
            try:
                model = apps.get_model(label)
            except LookupError:
                wrong.append(f"{label}: no such model here")
                continue
            actual = model._base_manager.using(database).count()
            if actual != count:
                wrong.append(f"{label}: {actual} rows, the backup has {count}")
        if wrong:
            raise CommandError("The restore was undone, the rows did not add up: " + "; ".join(wrong))

    def _restore_media(self, source: Path, target: Path | None) -> None:
        if target is None:
            self.stderr.write("The backup holds uploaded files but MEDIA_ROOT is not set: they were not restored.")
            return
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target)
