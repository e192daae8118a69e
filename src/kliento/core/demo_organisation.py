"""The demo company's organisation: a dance school, its departments and teams, and its staff in
each of the five roles. Other apps' demo loaders depend on it (key "core.organisation")."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from kliento.core import roles
from kliento.core.demo import DemoLoader, DemoOptions, register_demo_loader
from kliento.core.models import OrgUnit, StaffProfile

COMPANY_NAME = "Rytm Dance School"


def organisation_exists() -> bool:
    return OrgUnit.objects.filter(name=COMPANY_NAME, parent=None).exists()


def _staff(username: str, first: str, last: str, role: str, unit: OrgUnit, position: str) -> None:
    user = get_user_model().objects.create_user(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@rytm.example",
        password=None,
    )
    user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, unit=unit, position=position)


@transaction.atomic
def load_organisation(options: DemoOptions) -> None:
    if organisation_exists():
        return
    company = OrgUnit.objects.create(name=COMPANY_NAME, kind=OrgUnit.Kind.COMPANY)
    service = OrgUnit.objects.create(
        name="Client service", kind=OrgUnit.Kind.DEPARTMENT, parent=company
    )
    front = OrgUnit.objects.create(name="Front desk", kind=OrgUnit.Kind.TEAM, parent=service)
    sales = OrgUnit.objects.create(name="Sales and events", kind=OrgUnit.Kind.TEAM, parent=service)
    quality = OrgUnit.objects.create(name="Quality", kind=OrgUnit.Kind.DEPARTMENT, parent=company)
    _staff("marta", "Marta", "Zielińska", roles.MANAGER, service, "Head of client service")
    _staff("piotr", "Piotr", "Mazur", roles.STAGE_OWNER, sales, "Events manager")
    _staff("olena", "Olena", "Melnyk", roles.AGENT, front, "Front-desk administrator")
    _staff("jakub", "Jakub", "Wójcik", roles.AGENT, front, "Front-desk administrator")
    _staff("iryna", "Iryna", "Bondarenko", roles.AGENT, sales, "Sales consultant")
    _staff("ewa", "Ewa", "Kamińska", roles.AUDITOR, quality, "Quality auditor")


def register() -> None:
    register_demo_loader(DemoLoader("core.organisation", load_organisation))
