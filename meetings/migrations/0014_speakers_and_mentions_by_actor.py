"""An index of a passage's speakers and of its mentions by actor, then passage.

Whether an actor spoke at (or was named by) a public meeting is one EXISTS per actor
(`MeetingReferences.actors`), planned once for every actor: with only the index of the actor column,
the database read all the speakers for each actor that never spoke (394,440 rows, 20 ms each, on
10,000 meetings); with this one, it reads the actor's first few entries, index only. The tables are
the ones Django makes for the two many-to-many fields, which have no Meta of their own, hence SQL
(the same on PostgreSQL and SQLite).
"""

from django.db import migrations

INDEXES = {
    "passage_speakers_actor_idx": "meetings_passage_speakers",
    "passage_mentions_actor_idx": "meetings_passage_mentions",
}


class Migration(migrations.Migration):
    dependencies = [("meetings", "0013_review_fields_once")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX {name} ON {table} (actor_id, passage_id)", f"DROP INDEX {name}")
        for name, table in INDEXES.items()
    ]
