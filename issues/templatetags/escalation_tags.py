from django import template

from issues import permissions

register = template.Library()


@register.filter
def can_export(user: permissions.AnyUser) -> bool:
    return permissions.can_export(user)
