"""The Secretariat's two roles: Editors write drafts; Publishers also publish and withdraw."""

from django.db import migrations

CONTENT = {
    "meetings": ["meeting", "participation", "paragraph", "passage", "footnote", "meetingseries"],
    "actors": ["actor", "person", "position", "region"],
}
# Parts of a meeting are deleted from its inlines while editing; a meeting itself only by a Publisher.
EDITOR_DELETE = {"participation", "paragraph", "passage", "footnote", "position"}


def editor_codenames():
    for models in CONTENT.values():
        for model in models:
            yield f"view_{model}"
            yield f"add_{model}"
            yield f"change_{model}"
            if model in EDITOR_DELETE:
                yield f"delete_{model}"
    yield "view_prioritygoal"


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content = Permission.objects.filter(content_type__app_label__in=CONTENT)
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(content.filter(codename__in=set(editor_codenames())))
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.set(
        content.filter(codename__in=set(editor_codenames()) | {"publish_meeting", "delete_meeting"})
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("actors", "0002_history_and_workflow"),
        ("meetings", "0002_history_and_workflow"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
