"""Conversations of the demo network: a former colleague and HR talking about coming back, a group of the same
intake year, and the reunion's conversation. Written through actions; afterwards the messages are spread over
the past days, as a real network's would be (the demo's only direct write)."""

import datetime

from django.utils import timezone

from kizuna.events.models import Event
from kizuna.members.models import Role, State, User

from . import actions
from .models import Conversation, Message

WITH_COLLEAGUE = [  # (speaker, text): "me" is the alumni login, "them" the employee login
    ("them", "山本さん、お久しぶりです！名簿で見つけてご連絡しました。マーケ部の田中です。"),
    ("me", "田中さん！ご無沙汰しています。覚えていてくださって嬉しいです😊"),
    ("them", "今、開発本部でアルムナイ向けの新サービスを作っていて、マーケの視点で意見を聞けたらと思って。"
             "もしご興味があれば、30分ほどオンラインでお話できませんか？"),
    ("me", "ぜひ！来週なら火曜と木曜の夜が空いています。"),
    ("them", "ありがとうございます。では木曜 19:00 でいかがでしょう。資料は事前に共有しますね。"),
    ("me", "木曜 19:00 で大丈夫です。よろしくお願いします！"),
    ("them", "資料の概要です。\n- 対象：退職後 1〜5 年のアルムナイ\n- 目的：**再会のきっかけ**づくり\n\n"
             "詳しくは https://example.com/alumni-service-overview をご覧ください。"),
]
WITH_HR = [
    ("hr", "山本様、人事部の佐藤です。先日はアンケートへのご回答ありがとうございました。"),
    ("hr", "「いずれ戻ることも考えている」とのことでしたので、まずはカジュアル面談でお話を伺えればと思います。"
           "選考ではありませんので、気軽にお越しください。"),
    ("me", "ご連絡ありがとうございます。今すぐではないのですが、現在の社内の様子を知りたいと思っていました。"),
    ("hr", "もちろんです。2024年からフルリモート勤務も選べるようになり、評価制度も変わりました。"
           "面談では現場のメンバーも同席できます。"),
]
CLASSMATES = [
    ("a", "今年も同期会やりませんか？前回から2年ぶりになりますね。"),
    ("b", "賛成！場所は渋谷あたりが集まりやすそう。"),
    ("me", "いいですね。11月の第3金曜はどうでしょう？"),
    ("c", "金曜なら参加できます！幹事手伝います！"),
    ("a", "ありがとう！じゃあ候補日は11月21日（金）19時〜で、お店を探してみます。"),
    ("b", "髙橋さんにも声をかけておきますね。"),
]
REUNION = [
    ("hr", "ご参加の皆さま、当日の会場は本社20階の大会議室です。受付で QR コードをご提示ください。"),
    ("a", "楽しみにしています！久しぶりに皆さんにお会いできるのが嬉しいです。"),
]


def _backdate(conversation, start, step):
    """Spread the conversation's messages from `start`, `step` apart (demo only)."""
    messages = list(Message.objects.filter(conversation=conversation).order_by("pk"))
    for number, message in enumerate(messages):
        Message.objects.filter(pk=message.pk).update(created_at=start + number * step)
    if messages:
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=start + (len(messages) - 1) * step)


def _write(conversation, lines, people, *, read_by=()):
    for speaker, text in lines:
        actions.do_send_message(people[speaker], conversation, text)
    for reader in read_by:
        actions.do_mark_read(reader, conversation.pk, conversation.messages.order_by("-pk").values_list(
            "pk", flat=True).first())


def create_demo_conversations(hr, employee, alumni):
    now = timezone.now()
    others = list(User.objects.filter(role=Role.ALUMNI, state=State.ACTIVE).exclude(pk=alumni.pk)
                  .order_by("pk")[:3])
    people = {"me": alumni, "them": employee, "hr": hr, **dict(zip("abc", others, strict=False))}

    colleague = actions.do_start_direct(employee, alumni)
    _write(colleague, WITH_COLLEAGUE, people, read_by=[employee])
    _backdate(colleague, now - datetime.timedelta(days=3, hours=2), datetime.timedelta(minutes=47))

    with_hr = actions.do_start_direct(hr, alumni)
    _write(with_hr, WITH_HR, people, read_by=[hr])
    _backdate(with_hr, now - datetime.timedelta(days=1, hours=5), datetime.timedelta(hours=2))

    classmates = actions.do_create_group(others[0], "2016年入社 同期会", [*others[1:], alumni])
    _write(classmates, CLASSMATES, people)
    _backdate(classmates, now - datetime.timedelta(hours=6), datetime.timedelta(minutes=35))

    reunion = Event.objects.filter(starts_at__gt=now, hosts=hr).order_by("starts_at").first()
    if reunion is not None:
        conversation = actions.do_open_event_conversation(hr, reunion)
        actions.do_add_participants(hr, conversation, [alumni, others[0]])
        _write(conversation, REUNION, people, read_by=[alumni])
        _backdate(conversation, now - datetime.timedelta(hours=30), datetime.timedelta(hours=3))
