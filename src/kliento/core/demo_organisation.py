"""The demo company's organisation: a dance school, its departments and teams, and its staff in
each of the five roles. Other apps' demo loaders depend on it (key "core.organisation")."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from kliento.core import roles
from kliento.core.demo import DemoLoader, DemoOptions, register_demo_loader
from kliento.core.models import OrgUnit, StaffProfile

# The organisation's names in the operator's language (`kliento demo --language`).
NAMES: dict[str, dict[str, str]] = {
    "company": {
        "en": "Rytm Dance School",
        "pl": "Szkoła Tańca Rytm",
        "uk": "Школа танцю «Ритм»",
        "ru": "Школа танца «Ритм»",
    },
    "service": {
        "en": "Client service",
        "pl": "Obsługa klienta",
        "uk": "Клієнтський сервіс",
        "ru": "Клиентский сервис",
    },
    "front": {"en": "Front desk", "pl": "Recepcja", "uk": "Рецепція", "ru": "Ресепшен"},
    "sales": {
        "en": "Sales and events",
        "pl": "Sprzedaż i wydarzenia",
        "uk": "Продажі та заходи",
        "ru": "Продажи и мероприятия",
    },
    "quality": {"en": "Quality", "pl": "Jakość", "uk": "Якість", "ru": "Качество"},
    "head_of_service": {
        "en": "Head of client service",
        "pl": "Kierownik obsługi klienta",
        "uk": "Керівник клієнтського сервісу",
        "ru": "Руководитель клиентского сервиса",
    },
    "events_manager": {
        "en": "Events manager",
        "pl": "Menedżer wydarzeń",
        "uk": "Менеджер заходів",
        "ru": "Менеджер мероприятий",
    },
    "front_desk_admin": {
        "en": "Front-desk administrator",
        "pl": "Administrator recepcji",
        "uk": "Адміністратор рецепції",
        "ru": "Администратор ресепшена",
    },
    "sales_consultant": {
        "en": "Sales consultant",
        "pl": "Doradca ds. sprzedaży",
        "uk": "Консультант з продажу",
        "ru": "Консультант по продажам",
    },
    "quality_auditor": {
        "en": "Quality auditor",
        "pl": "Audytor jakości",
        "uk": "Аудитор якості",
        "ru": "Аудитор качества",
    },
    "director": {"en": "Director", "pl": "Dyrektor", "uk": "Директор", "ru": "Директор"},
}
COMPANY_NAME = NAMES["company"]["en"]


def name(key: str, language: str) -> str:
    """One of the organisation's names in `language`, or in English."""
    return NAMES[key].get(language) or NAMES[key]["en"]


def organisation_exists() -> bool:
    return OrgUnit.objects.filter(name__in=NAMES["company"].values(), parent=None).exists()


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
    lang = options.language

    def unit(key: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
        return OrgUnit.objects.create(name=name(key, lang), kind=kind, parent=parent)

    company = unit("company", OrgUnit.Kind.COMPANY)
    service = unit("service", OrgUnit.Kind.DEPARTMENT, company)
    front = unit("front", OrgUnit.Kind.TEAM, service)
    sales = unit("sales", OrgUnit.Kind.TEAM, service)
    quality = unit("quality", OrgUnit.Kind.DEPARTMENT, company)
    _staff("marta", "Marta", "Zielińska", roles.MANAGER, service, name("head_of_service", lang))
    _staff("piotr", "Piotr", "Mazur", roles.STAGE_OWNER, sales, name("events_manager", lang))
    _staff("olena", "Olena", "Melnyk", roles.AGENT, front, name("front_desk_admin", lang))
    _staff("jakub", "Jakub", "Wójcik", roles.AGENT, front, name("front_desk_admin", lang))
    _staff("iryna", "Iryna", "Bondarenko", roles.AGENT, sales, name("sales_consultant", lang))
    _staff("ewa", "Ewa", "Kamińska", roles.AUDITOR, quality, name("quality_auditor", lang))


def register() -> None:
    register_demo_loader(DemoLoader("core.organisation", load_organisation))
