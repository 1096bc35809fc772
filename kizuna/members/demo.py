"""The demo network of `make run`: about 300 members, HR records, applications, invitations and events.

Demo logins printed by `kizuna run` (one per role) are created here, by `kizuna seed --demo`.
"""

import io

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from kizuna.core.actions import do_update_network_settings
from kizuna.core.images import clean_photo
from kizuna.core.models import LeaveType, RegistrationMode

from . import actions
from .models import Application, Role, State, User
from .seed import EMPLOYEE_DOMAIN, People, ensure_organisation, next_employee_number

DEMO_PASSWORD = "kizuna-demo-2026"  # noqa: S105 - printed on purpose for the demo network
DEMO_ACCOUNTS = [
    ("admin", "hr@demo.kizuna.example"),
    ("moderator", "moderator@demo.kizuna.example"),
    ("employee", "employee@demo.kizuna.example"),
    ("alumni", "alumni@demo.kizuna.example"),
]
# The demo logins' faces: (name, reading, department)
DEMO_PEOPLE = {
    "admin": ("佐藤 美咲", "さとう みさき", "人事部"),
    "moderator": ("高橋 健一", "たかはし けんいち", "広報部"),
    "employee": ("田中 翔太", "たなか しょうた", "開発本部/プラットフォーム開発部"),
    "alumni": ("山本 陽子", "やまもと ようこ", "マーケティング部"),
}
# What the demo logins tell the network about themselves (the other members' profiles are made up by seed.py).
DEMO_PROFILES = {
    "admin": {
        "romaji": "Misaki Sato", "current_title": "人事部 アルムナイ担当", "location": "JP-13",
        "languages": ["ja", "en"],
        "bio": "人事部でアルムナイネットワークを担当しています。"
               "退職された皆さんとのつながりを大切にしたいと思っています。"
               "再入社や業務委託のご相談もお気軽にどうぞ。",
        "skills": ["採用", "中途採用", "組織開発", "労務管理"], "purposes": ["social", "business"],
    },
    "moderator": {
        "romaji": "Kenichi Takahashi", "current_company": "株式会社ノースブリッジ・コンサルティング",
        "current_title": "シニアコンサルタント", "industry": "consulting", "location": "JP-14",
        "languages": ["ja", "en"],
        "bio": "広報部に8年在籍しました。今はコンサルタントとして企業の広報戦略を支援しています。"
               "運営担当として皆さんの投稿を見守っています。",
        "skills": ["広報", "PR", "ブランディング", "ファシリテーション"], "purposes": ["social", "business", "mentor"],
    },
    "employee": {
        "romaji": "Shota Tanaka", "current_title": "テックリード", "location": "JP-13", "languages": ["ja", "en"],
        "bio": "プラットフォーム開発部でテックリードをしています。"
               "アルムナイの皆さんとのカジュアル面談も担当しています。",
        "skills": ["Python", "Go", "AWS", "Kubernetes", "PostgreSQL"], "purposes": ["social", "mentor"],
        "links": ["https://example.com/shota-tanaka"],
    },
    "alumni": {
        "romaji": "Yoko Yamamoto", "current_company": "Northwind Japan株式会社",
        "current_title": "マーケティングマネージャー",
        "industry": "it", "location": "JP-27", "languages": ["ja", "en", "zh"],
        "bio": "マーケティング部で6年間、展示会と広告運用を担当していました。今はSaaS企業でマーケティングチームを"
               "まとめています。副業の相談も歓迎です。",
        "skills": ["デジタルマーケティング", "広告運用", "SEO", "Google Analytics", "英語"],
        "purposes": ["social", "return", "contract"], "links": ["https://example.com/yoko-yamamoto"],
    },
}
# Photo colours (background, figure) for the demo logins' drawn portraits.
DEMO_PHOTO_COLOURS = {"admin": ("#f4d8cd", "#b5523b"), "moderator": ("#d7e3f4", "#2f5d9e"),
                      "employee": ("#d9efe3", "#2e7d5b"), "alumni": ("#f3e6c8", "#a06a12")}
DEMO_MEMBERS = 286  # + 4 demo logins + 6 applicants and invitees ≈ 300
DEMO_SEED = 2026
MIN_TENURE_MONTHS = 12


def demo_exists():
    return User.objects.filter(email=DEMO_ACCOUNTS[0][1]).exists()


def create_demo_network():
    """Build the demo network on a fresh database; returns False (and changes nothing) if it exists."""
    if demo_exists():
        return False
    with transaction.atomic():
        do_update_network_settings(None, {
            "name": "絆アルムナイ", "employee_domains": [EMPLOYEE_DOMAIN],
            "registration_mode": RegistrationMode.APPLICATION, "min_tenure_months": MIN_TENURE_MONTHS,
        })
        companies, departments = ensure_organisation()
        people = People(DEMO_SEED, companies=companies, departments=departments,
                        password=make_password(DEMO_PASSWORD), first_number=next_employee_number(),
                        min_tenure_months=MIN_TENURE_MONTHS)
        actions.do_bulk_create_members(
            [*_demo_logins(people, companies, departments), *people.members(DEMO_MEMBERS)], email_verified=True,
        )
        _demo_photos()
        _applications(people)
        actions.do_bulk_create_records(_hr_records_without_accounts(people))
        _invitations(people)
        _jobs()
        _events()
        _groups_and_moderation()
        _feed()
        _chat()
    return True


def _demo_logins(people, companies, departments):
    holding = companies[0][0]
    by_path = {department.path: department for department, _weight in departments}
    for role, email in DEMO_ACCOUNTS:
        name, reading, path = DEMO_PEOPLE[role]
        person = people.alumnus() if role in ("alumni", "moderator") else people.employee()
        person.name, person.name_kana, person.email = name, reading, email
        person.company, person.department = holding, by_path[path]
        user = people.account(person, role)
        user.language = "ja"
        entry = actions.NewMember(user, record=people.leaver_record(person) if person.left_on else None)
        people.profiles.fill(entry, person, role, complete=True)  # a career at the group that fits the dates
        details = dict(DEMO_PROFILES[role])
        entry.skills = actions.ensure_skills(details.pop("skills"))
        for key, value in details.items():
            setattr(entry.profile, key, value)
        yield entry


def _portrait(background, figure):
    """A simple drawn head-and-shoulders picture (no real person's photo in the demo)."""
    image = Image.new("RGB", (256, 256), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((78, 40, 178, 140), fill=figure)
    draw.ellipse((38, 150, 218, 330), fill=figure)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("portrait.png", buffer.getvalue(), content_type="image/png")


def _demo_photos():
    for role, email in DEMO_ACCOUNTS:
        actions.do_set_photo(User.objects.get(email=email), clean_photo(_portrait(*DEMO_PHOTO_COLOURS[role])))


def _katakana(text):
    return "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)


def _applications(people):
    """Pending applications for the approval queue: most match an HR record, some none.

    The HR records have no email (HR only had the old company address), so the queue has to match
    on employee number, or on name, reading and years, the way DESIGN.md's text rules fold them.
    """
    applicants = []
    for kind in ("employee_number", "name_and_years", "variant_spelling", "not_eligible", "no_record", "no_record"):
        person = people.alumnus(leave_type=LeaveType.DISCIPLINARY if kind == "not_eligible" else None)
        record = None if kind == "no_record" else people.leaver_record(person)
        name, reading = person.name, person.name_kana
        if kind == "variant_spelling":
            # HR wrote 斎藤, the applicant writes 齋藤 and the reading in katakana.
            given, given_kana = person.name.split(" ")[1], person.name_kana.split(" ")[1]
            record.name, record.name_kana = f"斎藤 {given}", f"さいとう {given_kana}"
            name, reading = f"齋藤 {given}", _katakana(f"さいとう {given_kana}")
        if record is not None:
            record.email = ""
        user = people.account(person, Role.ALUMNI, state=State.PENDING)
        user.name, user.name_kana = name, reading
        application = Application(
            name=name, name_kana=reading, former_email=f"{person.email.split('@')[0]}@{EMPLOYEE_DOMAIN}",
            employee_number=person.employee_number if kind == "employee_number" else "",
            joined_year=person.joined_on.year, left_year=person.left_on.year, department=person.department.path,
            message="ご無沙汰しております。アルムナイネットワークに参加させてください。",
        )
        applicants.append((actions.NewMember(user, application=application), record))
    actions.do_bulk_create_members([entry for entry, _record in applicants], email_verified=True)
    actions.do_bulk_create_records([record for _entry, record in applicants if record is not None])


def _hr_records_without_accounts(people):
    """Leavers HR has not invited yet: most eligible, some not, so the reasons show."""
    records = [people.leaver_record(people.alumnus()) for _ in range(10)]
    records += [people.leaver_record(people.alumnus(leave_type=LeaveType.DISCIPLINARY)) for _ in range(2)]
    records += [people.leaver_record(people.alumnus(tenure_months=months)) for months in (4, 8)]  # too short
    excluded = people.leaver_record(people.alumnus())
    excluded.excluded = True
    return [*records, excluded]


def _events():
    from kizuna.events.demo import create_demo_events

    create_demo_events()


def _feed():
    from kizuna.feed.demo import create_demo_feed

    create_demo_feed()


def _chat():
    from kizuna.chat.demo import create_demo_conversations

    logins = {role: User.objects.get(email=email) for role, email in DEMO_ACCOUNTS}
    create_demo_conversations(logins["admin"], logins["employee"], logins["alumni"])


def _jobs():
    from kizuna.jobs.demo import create_demo_jobs

    logins = {role: User.objects.get(email=email) for role, email in DEMO_ACCOUNTS}
    create_demo_jobs(logins["admin"], logins["employee"], logins["alumni"])


def _groups_and_moderation():
    from kizuna.groups.demo import create_demo_groups
    from kizuna.moderation.demo import create_demo_moderation

    logins = {role: User.objects.get(email=email) for role, email in DEMO_ACCOUNTS}
    create_demo_groups(logins)
    create_demo_moderation(logins)


def _invitations(people):
    """Invite a few of the eligible records, as HR would after an import."""
    admin = User.objects.get(email=DEMO_ACCOUNTS[0][1])
    records = [people.leaver_record(people.alumnus()) for _ in range(4)]
    actions.do_bulk_create_records(records)
    for record in records:
        actions.do_invite(admin, record)
