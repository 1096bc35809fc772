"""The demo network's moderation: HR's word list and a few reports waiting in the queue."""

from kizuna.members.models import Role, State, User

from . import actions
from .models import Reason

WORDS = ["ネットワークビジネス", "必ず儲かる", "投資セミナー", "副業で月収"]


def create_demo_moderation(logins):
    for word in WORDS:
        actions.do_add_word(logins["admin"], word)
    others = list(User.objects.filter(state=State.ACTIVE, role=Role.ALUMNI)
                  .exclude(pk__in=[u.pk for u in logins.values()]).order_by("-pk")[:4])
    reported, reporter, second_reporter, _spare = others
    actions.do_report(logins["alumni"], reported, Reason.SOLICITATION,
                      "自己紹介に投資セミナーへの勧誘リンクが載っています。")
    actions.do_report(reporter, reported, Reason.SPAM)
    actions.do_report(second_reporter, _spare, Reason.IMPERSONATION, "元同僚の名前を名乗っていますが、別人のようです。")
