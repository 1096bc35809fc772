"""Events of the demo network: a reunion and an online seminar ahead (one full, with a waiting list), and
two past events with check-ins, feedback and a report with photos. Everything goes through actions."""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from kizuna.core.images import clean_picture
from kizuna.members.models import Role, State, User

from . import actions
from .models import Event


def _picture(background, accent, seed):
    """A drawn scene (tables and people as shapes): no real photo in the demo."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1200, 675), background)
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = rng.randrange(0, 1150), rng.randrange(300, 640)
        draw.ellipse((x, y - 90, x + 46, y - 44), fill=accent)
        draw.rounded_rectangle((x - 12, y - 40, x + 58, y + 40), radius=18, fill=accent)
    draw.rectangle((0, 600, 1200, 675), fill="#5b4636")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return clean_picture(SimpleUploadedFile("scene.png", buffer.getvalue(), content_type="image/png"), "event")


def _at(days, hour, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _values(**values):
    base = {"description": "", "venue": "", "map_url": "", "online_url": "", "time_zone": "Asia/Tokyo",
            "capacity": None, "max_companions": 0, "deadline": None, "fee_note": "", "questions": [],
            "audience": Event.Audience.EVERYONE, "attendees_visible": False}
    return {**base, **values}


def create_demo_events():
    admin = User.objects.get(email="hr@demo.kizuna.example")
    moderator = User.objects.get(email="moderator@demo.kizuna.example")
    employee = User.objects.get(email="employee@demo.kizuna.example")
    alumnus = User.objects.get(email="alumni@demo.kizuna.example")
    active = User.objects.filter(state=State.ACTIVE).exclude(pk__in=[admin.pk, moderator.pk, employee.pk, alumnus.pk])
    rng = random.Random(2026)
    alumni = list(active.filter(role=Role.ALUMNI).order_by("pk"))
    everyone = list(active.order_by("pk"))

    reunion = actions.do_save_event(admin, Event(), _values(
        title="2026年 アルムナイ総会・懇親会", format=Event.Format.HYBRID,
        venue="本社 20階 大会議室（東京都千代田区丸の内1-1-1）", map_url="https://maps.example.jp/kizuna-honsha",
        online_url="https://meet.example.jp/kizuna-reunion-2026",
        starts_at=_at(24, 18, 30), ends_at=_at(24, 21), deadline=_at(20, 23, 59), capacity=120, max_companions=1,
        fee_note="会費 5,000円（当日受付にて現金またはPayPay）。オンライン参加は無料です。",
        questions=["食事の制限（アレルギーなど）はありますか", "近況をひとことお聞かせください"],
        description="年に一度のアルムナイ総会です。\n\n"
                    "## プログラム\n- 18:30 受付開始\n- 19:00 社長挨拶・会社の近況報告\n"
                    "- 19:30 懇親会（立食）\n- 20:45 集合写真\n\n"
                    "同期や元上司との再会の場として、お気軽にご参加ください。ご家族・ご友人の同伴も1名まで歓迎です。",
        attendees_visible=True,
    ), hosts=[admin, moderator], cover=_picture("#f3e6d8", "#b4233c", 1))
    diets = ["", "", "えび・かに", "ベジタリアン"]
    for member in [alumnus, *rng.sample(everyone, 58)]:
        actions.do_rsvp(member, reunion, companions=rng.choice([0, 0, 0, 1]),
                        answers={"食事の制限（アレルギーなど）はありますか": rng.choice(diets)})

    seminar = actions.do_save_event(moderator, Event(), _values(
        title="オンライン勉強会「生成AIと働き方」", format=Event.Format.ONLINE,
        online_url="https://meet.example.jp/kizuna-ai-study", starts_at=_at(10, 12), ends_at=_at(10, 13),
        capacity=40, description="海外在住のアルムナイも参加しやすい昼休みのオンライン勉強会です。"
                                 "アルムナイの講師が、業務での生成AI活用の実例を紹介します。",
    ), hosts=[moderator])
    for member in rng.sample(everyone, 44):
        actions.do_rsvp(member, seminar)
    actions.do_rsvp(employee, seminar)  # full: the employee demo login is on the waiting list

    kansai = actions.do_save_event(moderator, Event(), _values(
        title="関西アルムナイ交流会", format=Event.Format.ONSITE,
        venue="大阪支社 セミナールーム（大阪市北区梅田2-2-2）",
        map_url="https://maps.example.jp/kizuna-osaka", starts_at=_at(30, 19), ends_at=_at(30, 21), capacity=30,
        audience=Event.Audience.ALUMNI, fee_note="会費 3,000円", description="関西在住・勤務のアルムナイの交流会です。",
    ), hosts=[moderator], cover=_picture("#dfe9f3", "#2f5d9e", 2))
    seated = [actions.do_rsvp(member, kansai) for member in [alumnus, *rng.sample(alumni, 27)]]
    kansai = _date_back(kansai, days=45)
    for registration in seated:
        if rng.random() < 0.82:
            actions.do_check_in(moderator, registration)
            actions.do_give_feedback(registration.user, kansai, rating=rng.choice([3, 4, 4, 5, 5]),
                                     comment=rng.choice(["", "", "久しぶりに皆さんに会えて嬉しかったです。",
                                                         "次回も参加します！"]))
    actions.do_add_walk_in(moderator, kansai, name="飛び入り参加 中村")
    actions.do_save_report(moderator, kansai, text=(
        "## 当日の様子\n関西在住のアルムナイ25名が集まり、近況報告と名刺交換で大いに盛り上がりました。\n\n"
        "次回は秋に京都での開催を予定しています。"), photos=[_picture("#f5ecd9", "#a06a12", 3),
                                                         _picture("#e6f0e8", "#2e7d5b", 4)])

    lunch = actions.do_save_event(employee, Event(), _values(
        title="開発本部 OB・OG ランチ会", format=Event.Format.ONSITE, venue="本社 3階 カフェテリア",
        starts_at=_at(40, 12), ends_at=_at(40, 13, 30), audience=Event.Audience.INVITED,
    ), hosts=[employee], invitees=[alumnus, *rng.sample(alumni, 8)])
    lunch_seats = [actions.do_rsvp(member, lunch) for member in lunch.invitees.order_by("pk")[:6]]
    lunch = _date_back(lunch, days=20)
    for registration in lunch_seats[:5]:
        actions.do_check_in(employee, registration)


def _date_back(event, *, days):
    """The demo's past events happened `days` ago: registered while upcoming, then moved back in time."""
    shift = datetime.timedelta(days=(event.starts_at - timezone.now()).days + days)
    values = {name: getattr(event, name) for name in actions.EVENT_FIELDS}
    values.update(starts_at=event.starts_at - shift, ends_at=event.ends_at - shift, deadline=None)
    return actions.do_save_event(None, event, values, hosts=list(event.hosts.all()),
                                 invitees=list(event.invitees.all()), notify=False)
