"""Demo data, loaded by `kliento demo` from loaders that apps register.

A loader names the loaders it needs first; they run in dependency order, each once: a loader
that finds its data already there does nothing, so running the command again reuses the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

from kliento.core.registry import Registry


@dataclass(frozen=True)
class DemoOptions:
    clients: int = 300
    # Volume data on top of the demo (1 = a million clients); None loads none.
    scale: float | None = None
    # The operator's language: what the company named itself (units, segments, tags) is in it.
    language: str = "en"
    report: Callable[[str], None] = print


# A demo text in each language the operator may choose, by code: "en", "ru", "uk", "pl".
Texts = dict[str, str]


def pick(texts: Texts, language: str | None) -> str:
    """The text in `language`; English where it has none."""
    return texts.get(language or "en") or texts["en"]


@dataclass(frozen=True)
class DemoLoader:
    key: str
    load: Callable[[DemoOptions], None]
    depends_on: tuple[str, ...] = field(default=())


demo_loaders: Registry[DemoLoader] = Registry("demo loaders")


def register_demo_loader(loader: DemoLoader) -> DemoLoader:
    return demo_loaders.register(loader)


def ordered_loaders() -> list[DemoLoader]:
    """Loaders so that each comes after those it depends on (registration order otherwise)."""
    done: dict[str, DemoLoader] = {}
    visiting: set[str] = set()

    def visit(loader: DemoLoader) -> None:
        if loader.key in done:
            return
        if loader.key in visiting:
            raise ImproperlyConfigured(f"Demo loaders form a cycle at {loader.key!r}")
        visiting.add(loader.key)
        for key in loader.depends_on:
            if key not in demo_loaders:
                raise ImproperlyConfigured(f"Demo loader {loader.key!r} needs unknown {key!r}")
            visit(demo_loaders[key])
        visiting.discard(loader.key)
        done[loader.key] = loader

    for loader in demo_loaders:
        visit(loader)
    return list(done.values())


def load_demo(options: DemoOptions) -> None:
    for loader in ordered_loaders():
        loader.load(options)
