from django import template
from django.utils.safestring import SafeString

from kliento.core.richtext import render_markdown

register = template.Library()


@register.filter
def markdown(source: str) -> SafeString:
    """`{{ stage.rules|markdown }}`: the sanitised HTML of a Markdown text."""
    return render_markdown(source)
