from decimal import Decimal

from django.db import migrations, models


def seed_tiers(apps, schema_editor):
    """The source defaults (SPEC §2); admins edit them afterwards."""
    Tier = apps.get_model("memberships", "Tier")
    defaults = [
        dict(rank=10, slug="bronze", name="Bronze", tagline="Start learning for free",
             price=Decimal("0"), billing_period="free", max_video_height=720,
             includes_ebooks=False, includes_live_sessions=False,
             includes_certificates=False, max_devices=1,
             features="All free courses\nVideo up to 720p\n1 device at a time"),
        dict(rank=20, slug="silver", name="Silver", tagline="Premium courses and ebooks",
             price=Decimal("299000"), billing_period="month", max_video_height=1080,
             includes_ebooks=True, includes_live_sessions=False,
             includes_certificates=False, max_devices=2,
             features="Free and premium courses\nVideo up to 1080p\nEbook library\n2 devices at a time"),
        dict(rank=30, slug="gold", name="Gold", tagline="Everything, live",
             price=Decimal("499000"), billing_period="month", max_video_height=1080,
             includes_ebooks=True, includes_live_sessions=True,
             includes_certificates=True, max_devices=3,
             features="Every course\nVideo up to 1080p\nEvery ebook\nLive sessions\nCertificates\n3 devices at a time"),
    ]
    for values in defaults:
        Tier.objects.update_or_create(slug=values["slug"], defaults=values)


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
