"""Generate a synthetic archive of realistic shape on top of the 2020 fixture, for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from meetings.synthetic import delete_archive, generate_archive


class Command(BaseCommand):
    help = "Add N generated meetings (deterministic for a seed) on top of the loaded data. Slugs start 'generated-'."

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, required=True, help="How many meetings to add.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same archive.")
        parser.add_argument("--batch", type=int, default=200, help="Meetings written per transaction.")
        parser.add_argument("--replace", action="store_true", help="Delete generated meetings first.")

    def handle(self, *args, meetings: int, seed: int, batch: int, replace: bool, **options):
        if meetings < 1 or batch < 1:
            raise CommandError("--meetings and --batch must be at least 1.")
        if replace:
            self.stdout.write(f"Deleted {delete_archive()} generated rows.")
        started = time.monotonic()

        def progress(sizes):
            self.stdout.write(
                f"  {sizes.meetings} meetings, {sizes.passages} passages, {time.monotonic() - started:.1f} s"
            )

        try:
            sizes = generate_archive(meetings=meetings, seed=seed, batch=batch, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {sizes.meetings} meetings, {sizes.participations} participations, {sizes.paragraphs} "
                f"paragraphs and {sizes.passages} passages in {time.monotonic() - started:.1f} s."
            )
        )
