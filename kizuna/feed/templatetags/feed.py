from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def joined_detail(person):
    """「（2015年入社・営業部）」 from what the viewer may see of a member (a ProfileView): join year and
    department only when visible, nothing when neither is."""
    year = person.joined_on.year if person.joined_on else None
    department = person.department.name if person.department else ""
    if year and department:
        return _("(joined %(year)s · %(department)s)") % {"year": year, "department": department}
    if year:
        return _("(joined %(year)s)") % {"year": year}
    return _("(%(department)s)") % {"department": department} if department else ""
