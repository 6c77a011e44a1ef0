from datetime import timedelta

from django.utils import timezone

import factory

from live.models import LiveSession


class LiveSessionFactory(factory.django.DjangoModelFactory):
    title = factory.Faker("sentence", nb_words=4)
    description = factory.Faker("paragraph")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=1))
    time_zone = "Asia/Ho_Chi_Minh"
    capacity = 50
    provider = "jitsi"
    provider_status = "ok"
    join_url = factory.Sequence(lambda n: f"https://meet.jit.si/lectern-test-room-{n}")

    class Meta:
        model = LiveSession
