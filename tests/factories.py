from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from backend.accounts.models import User, VolunteerStatus

PASSWORD = "correct-Horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    # Members joined a while ago, so their offline attempts of last week count.
    date_joined = factory.LazyFunction(lambda: timezone.now() - timedelta(days=90))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            # As after the e-mailed link: verification is mandatory by default.
            EmailAddress.objects.create(
                user=obj, email=obj.email, verified=True, primary=True
            )


class VolunteerFactory(UserFactory):
    volunteer_status = VolunteerStatus.APPROVED


class StaffFactory(UserFactory):
    is_staff = True
