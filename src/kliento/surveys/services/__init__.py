"""Writes of the surveys app, by concept: definitions, inviting (triggers and sending),
answering and the closed loop."""

from kliento.surveys.services import answering, definitions, internal, inviting, loop, praising
from kliento.surveys.services.answering import AboutIds

__all__ = ["AboutIds", "answering", "definitions", "internal", "inviting", "loop", "praising"]
