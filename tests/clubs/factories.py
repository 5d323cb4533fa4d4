from datetime import time, timedelta

import factory
from django.utils import timezone

from clubs.models import Club, Registration, Session
from tests.factories import VolunteerFactory


class ClubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Club
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Club {n}")
    language = "lv"
    level_min = "A1"
    level_max = "A2"
    city = "riga"
    address = "Rīgas Centrālā bibliotēka, Brīvības iela 49/53, Rīga"
    weekday = 2
    start_time = time(18, 0)
    duration_minutes = 90
    capacity = 10

    @factory.post_generation
    def hosts(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.hosts.set(extracted if extracted is not None else [VolunteerFactory()])


class SessionFactory(factory.django.DjangoModelFactory):
    """A session starting in two days unless told otherwise."""

    class Meta:
        model = Session

    club = factory.SubFactory(ClubFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=90))
    topic = "Pie ārsta"
    level = "A2"
    capacity = 10
    address = factory.LazyAttribute(lambda o: o.club.address)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory("tests.factories.UserFactory")
    status = Registration.Status.CONFIRMED
