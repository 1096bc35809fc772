"""The demo network's groups: a department group filled from members' last department, regional chapters,
interest groups (one closed with a request waiting, one secret with an invitation). Made through actions."""

import random

from kizuna.core.models import Department
from kizuna.members.models import State, User

from . import actions
from .models import Group, Membership

GROUPS = [
    # (creator, values, who joins)
    ("admin", {"name": "営業本部OB・OG会", "kind": "department", "privacy": "closed", "department": "営業本部",
               "auto_fill": True, "slug": "sales-alumni",
               "description": "営業本部（東京・大阪・法人営業部）に在籍したメンバーの会です。\n\n"
                              "- 年に一度の懇親会（秋）\n- 業界の情報交換\n- 再入社・協業のご相談もお気軽に"}, None),
    ("admin", {"name": "開発本部アルムナイ", "kind": "department", "privacy": "open", "department": "開発本部",
               "auto_fill": True, "slug": "engineering-alumni",
               "description": "開発本部の卒業生と現役エンジニアのグループです。技術の話も近況報告も歓迎です。"}, None),
    ("moderator", {"name": "関西支部", "kind": "region", "privacy": "open", "slug": "kansai",
                   "description": "大阪・京都・兵庫など関西にお住まいのメンバーの支部です。"
                                  "四半期に一度、梅田でランチ会を開いています。"}, ("JP-26", "JP-27", "JP-28")),
    ("admin", {"name": "九州支部", "kind": "region", "privacy": "open", "slug": "kyushu",
               "description": "福岡を中心に、九州・沖縄のメンバーが集まる支部です。"}, ("JP-40", "JP-41", "JP-43")),
    ("employee", {"name": "エンジニア勉強会", "kind": "interest", "privacy": "open", "slug": "engineers",
                  "description": "月に一度オンラインで開く勉強会です。テーマは持ち回り。"
                                 "聞くだけの参加も大歓迎です。"}, "engineering"),
    ("alumni", {"name": "子育てアルムナイの会", "kind": "interest", "privacy": "closed", "slug": "parents",
                "description": "子育てをしながら働くメンバーの情報交換の場です。"
                               "参加はグループ管理者の承認制にしています。"}, 12),
    ("moderator", {"name": "ランニング部", "kind": "interest", "privacy": "open", "slug": "running",
                   "description": "皇居ラン・大阪城ランを中心に、大会にも一緒に出ています。"}, 18),
    ("admin", {"name": "再入社メンバーの会", "kind": "interest", "privacy": "secret", "slug": "boomerang",
               "description": "一度退職して再入社したメンバーの、本音で話せるクローズドな場です。"}, 5),
]


def create_demo_groups(logins, rng=None):
    """`logins`: role → the demo login of that role."""
    rng = rng or random.Random(2026)
    departments = {d.path: d for d in Department.objects.filter(parent=None)}
    active = list(User.objects.filter(state=State.ACTIVE).exclude(pk__in=[u.pk for u in logins.values()])
                  .select_related("profile", "department").order_by("pk"))
    groups = {}
    for role, values, joiners in GROUPS:
        values = {**values, "department": departments.get(values.get("department"))}
        group = actions.do_save_group(logins[role], Group(), values)
        if group.auto_fill:
            actions.do_fill_department_group(group.pk)
        for member in _joiners(joiners, active, rng):
            if group.privacy == Group.Privacy.OPEN:
                actions.do_join(member, group)
            else:
                actions.do_invite(logins[role], group, member)
                actions.do_join(member, group)
        groups[values["slug"]] = group  # the secret group's address is random: the chosen one names it here
    _roles_and_requests(groups, logins, active, rng)
    return groups


def _joiners(rule, members, rng):
    if rule is None:
        return []
    if isinstance(rule, int):
        return rng.sample(members, rule)
    if isinstance(rule, tuple):
        return [m for m in members if getattr(getattr(m, "profile", None), "location", "") in rule]
    return [m for m in members if m.department and m.department.path.startswith("開発本部")][:25]


def _roles_and_requests(groups, logins, members, rng):
    alumnus, employee, moderator = logins["alumni"], logins["employee"], logins["moderator"]
    actions.do_join(alumnus, groups["kansai"])
    actions.do_join(alumnus, groups["running"])
    actions.do_join(employee, groups["running"])
    # The alumni login runs the closed parents' group: a request waits for her answer.
    for requester in rng.sample(members, 2):
        if not Membership.objects.filter(group=groups["parents"], user=requester).exists():
            actions.do_join(requester, groups["parents"], message="小学生の子どもが2人います。よろしくお願いします。")
    actions.do_join(alumnus, groups["sales-alumni"], message="営業企画の仕事で東京営業部の皆さんと関わっていました。")
    # HR invites the alumni login to the secret group: the invitation shows on her group list.
    actions.do_invite(logins["admin"], groups["boomerang"], alumnus)
    kansai_member = Membership.objects.filter(group=groups["kansai"], state="member").exclude(
        user__in=[moderator, alumnus]).first()
    if kansai_member is not None:
        actions.do_set_role(moderator, kansai_member, Membership.Role.ADMIN)
