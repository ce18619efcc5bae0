from django import template

from careerpaths.requirements import describe, missing_badge_names

register = template.Library()


@register.filter
def requirement_text(item: dict) -> str:
    return describe(item)


@register.filter
def requirement_missing(item: dict) -> str:
    return ", ".join(missing_badge_names(item)) if not item.get("met") else ""
