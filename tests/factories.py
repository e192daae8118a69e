from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kliento.clients.models import Client, ContactPoint, PortraitFact, Purchase, Segment, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Fixed, distinctive names: random ones once matched a client name a test looked for.
    first_name = factory.Sequence(lambda n: f"Staffer{n}")
    last_name = "Testowy"
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Segment {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"tag{n}")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client No{n}")
    kind = Client.Kind.PERSON


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    client = factory.SubFactory(ClientFactory)
    kind = ContactPoint.Kind.EMAIL
    value = factory.Sequence(lambda n: f"person{n}@example.com")


class PortraitFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortraitFact

    client = factory.SubFactory(ClientFactory)
    category = PortraitFact.Category.LIFESTYLE
    text = "Plays tennis on Sundays"
    source = PortraitFact.Source.CONVERSATION


class PurchaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Purchase

    client = factory.SubFactory(ClientFactory)
    occurred_on = factory.LazyFunction(lambda: dt.date(2026, 1, 15))
    amount = Decimal("100.00")
    currency = "PLN"
