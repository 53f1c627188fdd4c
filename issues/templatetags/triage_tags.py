from django import template

from issues import permissions

register = template.Library()


@register.filter
def can_triage(user: permissions.AnyUser) -> bool:
    return permissions.can_triage(user)


@register.filter
def can_prepare_meeting(user: permissions.AnyUser) -> bool:
    return permissions.sees_everything(user)
