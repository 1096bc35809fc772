"""Who the network is for: HR's rules applied to one leaver record, with the reasons shown to admins."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.core.models import LeaveType


@dataclass
class Eligibility:
    eligible: bool
    reasons: list = field(default_factory=list)

    def __str__(self):
        return " / ".join(str(r) for r in self.reasons)


def tenure_months(joined_on: datetime.date, left_on: datetime.date) -> int:
    months = (left_on.year - joined_on.year) * 12 + (left_on.month - joined_on.month)
    return months if left_on.day >= joined_on.day else months - 1


def evaluate(record, rules) -> Eligibility:
    """Apply the network's rules (`NetworkSettings`) to a record; every failed rule gives a reason."""
    reasons = []
    if record.opted_out:
        reasons.append(_("Withdrew from the network earlier"))
    if record.excluded:
        reasons.append(_("Marked by HR as excluded"))
    if record.left_on and record.left_on > timezone.localdate():
        reasons.append(_("Has not left the company yet"))
    if record.leave_type and record.leave_type not in rules.allowed_leave_types:
        reasons.append(_("Leave type “%(type)s” is not covered") % {"type": LeaveType(record.leave_type).label})
    if rules.min_tenure_months:
        if not record.joined_on or not record.left_on:
            reasons.append(_("Join date unknown, so tenure cannot be checked"))
        else:
            months = tenure_months(record.joined_on, record.left_on)
            if months < rules.min_tenure_months:
                reasons.append(
                    _("Tenure %(months)s months is shorter than the required %(required)s months")
                    % {"months": months, "required": rules.min_tenure_months}
                )
    if reasons:
        return Eligibility(False, reasons)
    return Eligibility(True, [_("Meets all eligibility rules")])
