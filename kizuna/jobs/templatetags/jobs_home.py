from django import template

from ..access import intention_is_due
from ..forms import IntentionForm

register = template.Library()


@register.inclusion_tag("jobs/intention_prompt.html", takes_context=True)
def intention_prompt(context):
    """The home page's gentle question about returning, when the member's answer is missing or old."""
    user = context["user"]
    due = user.is_authenticated and user.is_member and intention_is_due(user)
    return {"due": due, "intention_form": IntentionForm() if due else None, "csrf_token": context.get("csrf_token")}
