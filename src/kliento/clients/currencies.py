"""Moved to `kliento.core.money`; kept only until the import code switches over."""

from __future__ import annotations

from kliento.core.money import ISO_4217, is_currency

__all__ = ["ISO_4217", "is_currency"]
