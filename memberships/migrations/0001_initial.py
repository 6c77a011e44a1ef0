from decimal import Decimal

from django.db import migrations, models


def seed_tiers(apps, schema_editor):
    from memberships.defaults import seed_default_tiers

    seed_default_tiers(apps.get_model("memberships", "Tier"))


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Tier",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("rank", models.PositiveSmallIntegerField(help_text="Higher rank includes everything of the lower ones.", unique=True)),
                ("slug", models.SlugField(unique=True)),
                ("name", models.CharField(max_length=60)),
                ("tagline", models.CharField(blank=True, max_length=200)),
                ("price", models.DecimalField(decimal_places=2, default=Decimal("0"), max_digits=12)),
                ("currency", models.CharField(default="VND", max_length=3)),
                ("billing_period", models.CharField(choices=[("free", "Free"), ("month", "Monthly"), ("year", "Yearly")], default="month", max_length=10)),
                ("max_video_height", models.PositiveSmallIntegerField(default=720, help_text="Highest video rendition offered, in pixels (720, 1080 …).")),
                ("includes_ebooks", models.BooleanField(default=False)),
                ("includes_live_sessions", models.BooleanField(default=False)),
                ("includes_certificates", models.BooleanField(default=False)),
                ("max_devices", models.PositiveSmallIntegerField(default=1)),
                ("features", models.TextField(blank=True, help_text="One benefit per line, shown on pricing.")),
            ],
            options={"ordering": ["rank"]},
        ),
        migrations.RunPython(seed_tiers, migrations.RunPython.noop),
    ]
