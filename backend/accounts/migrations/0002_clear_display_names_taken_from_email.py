"""Sign-up used to set the display name to the e-mail's local part ("olga.n1"),
which every member of a chat room then saw. Clear those names: such members
show as "Member <id>" until they choose a name."""

from django.db import migrations


def clear_email_derived_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(display_name=""):
        if user.display_name == user.email.split("@", 1)[0][:80]:
            user.display_name = ""
            user.save(update_fields=["display_name"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial_user_and_volunteer_application")]

    operations = [
        migrations.RunPython(clear_email_derived_names, migrations.RunPython.noop)
    ]
