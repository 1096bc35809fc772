"""The demo network's feed: HR's announcements (a pinned 経営メッセージ, a scheduled one), stories of people who
came back, members' 近況報告 with replies, reactions and mentions, and activity (joins over the last weeks,
new positions). Made through actions, like everything else; posts are dated back over the last weeks."""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from kizuna.core.images import clean_picture
from kizuna.members.models import Role, State, User

from . import actions
from .mentions import mention_markup
from .models import Audience, Category, Kind, Post

LEADERSHIP = """アルムナイの皆さん、こんにちは。代表取締役社長の高田です。

このたび、青葉グループを卒業された皆さんと、いま働く社員がつながる場として「絆アルムナイ」を開設しました。

私たちはここ数年で、働き方も事業の形も大きく変わりました。

- 2024年から全社でリモート勤務を選べるようになりました
- 新規事業の提案制度を始め、3つのサービスが生まれました
- 一度退職した方の再入社（いわゆる出戻り）を、積極的に歓迎しています

社外で経験を積まれた皆さんの視点は、私たちにとって何よりの財産です。近況報告や、いまのお仕事のご紹介など、気軽に投稿していただけたらうれしく思います。

またどこかで、一緒に仕事ができる日を楽しみにしています。"""

ANNOUNCEMENTS = [
    {"title": "アルムナイの皆さんへ — 社長メッセージ", "category": Category.LEADERSHIP, "pinned": True,
     "body": LEADERSHIP, "days": 20},
    {"title": "再入社制度を改定しました（ブランク期間の上限を撤廃）", "category": Category.HR, "days": 12,
     "body": "2026年4月より、再入社（ジョブリターン）制度の対象を広げました。\n\n"
             "- 退職からの期間の上限（これまで5年）を撤廃\n- 前職の経験を等級に反映\n"
             "- カジュアル面談は人事部またはかつての上司と、いつでも申し込めます\n\n"
             "詳しくは「求人」ページの各募集、または人事部までお気軽にお問い合わせください。"},
    {"title": "大阪支社が移転しました", "category": Category.NEWS, "days": 6,
     "body": "大阪支社は5月から梅田の新オフィスに移転しました。関西にお住まいのアルムナイの方は、"
             "お近くにお越しの際はぜひお立ち寄りください（受付で「アルムナイです」とお伝えください）。"},
]

SCHEDULED = {"title": "2026年度 アルムナイ交流会のご案内", "category": Category.EVENTS, "days_ahead": 3,
             "body": "今年も東京本社でアルムナイ交流会を開催します。詳細とお申し込みは「イベント」ページに掲載します。"}

STORIES = [
    {"title": "出戻り社員インタビュー：外に出たからこそ見えた、青葉の「任せる文化」", "days": 15,
     "colours": ((236, 200, 170), (180, 35, 60)),
     "body": "2018年に退職し、外資系コンサルティング会社を経て2024年に再入社した営業企画部の山口さんに、"
             "戻ってきた理由と、いま感じている変化を聞きました。\n\n"
             "## なぜ一度、外に出たのですか\n\n"
             "入社8年目で、このまま同じ環境にいてよいのかと迷っていました。違う業界のやり方を知りたかったんです。\n\n"
             "## 戻ろうと思ったきっかけは\n\n"
             "アルムナイの交流会で、かつての上司に「また一緒にやらないか」と声をかけてもらったことです。"
             "外で働いてみて、若手にも大きな仕事を任せる青葉の文化が、実はとても貴重だと気づきました。\n\n"
             "## 戻ってみて、変わっていたことは\n\n"
             "リモート勤務が当たり前になり、評価も半期ごとの目標設定に変わっていました。"
             "一方で、困ったときに誰かが必ず手を貸してくれる雰囲気は昔のままです。\n\n"
             "## 迷っている方へ\n\n"
             "まずはカジュアル面談で、いまの様子を聞いてみるのがおすすめです。私もお話しできます。"},
    {"title": "出戻り社員インタビュー②：子育てと両立しながら、開発リーダーとして復帰", "days": 4,
     "colours": ((200, 225, 240), (29, 79, 134)),
     "body": "出産を機に2020年に退職し、2025年にプラットフォーム開発部へ戻った中島さん。"
             "時短勤務からリーダーになるまでの1年を振り返ってもらいました。\n\n"
             "## 復帰の決め手\n\n"
             "フルリモートと時短勤務を組み合わせられることでした。面談で「週3日からでも」と言ってもらえたのが大きかったです。\n\n"
             "## いまの仕事\n\n"
             "決済基盤チームのリーダーとして、5人のメンバーと新しい仕組みづくりをしています。"},
]

POSTS = [
    ("alumni", "ご無沙汰しています！2019年に退職した後、いまは福岡のスタートアップで"
               "プロダクトマネージャーをしています。九州方面に出張で来られる方がいたら、ぜひ声をかけてください 🍜", 9),
    ("employee", "営業部の新人研修で、アルムナイの方にお客様目線のお話をしていただきました。"
                 "社外から見た青葉の強み・弱みを率直に聞けて、とても良い時間になりました。"
                 "ご協力ありがとうございました！", 8),
    ("alumni", "先日の勉強会の資料、まとめておきました。\n\n- 生成AIの業務活用事例\n"
               "- 小さく始めるための社内ルールづくり\n\n興味のある方はコメントください。", 5),
    ("employee", "本社1階のカフェがリニューアルしました。懐かしの日替わりカレーは健在です 🍛 来社の際はぜひ。", 3),
    ("alumni", "独立して3年、ようやく事務所を構えました。"
               "青葉で学んだ「まずはお客様の現場に行く」を今も大事にしています。", 2),
]

REPLIES = ["おめでとうございます！", "懐かしいです。お元気そうで何よりです。", "ぜひお話を聞かせてください。",
           "ありがとうございます、参考になります！", "今度ランチ行きましょう 😊"]


def _cover(colours):
    background, accent = colours
    image = Image.new("RGB", (1200, 500), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((760, 60, 1160, 460), fill=accent)
    draw.rectangle((80, 330, 640, 360), fill=accent)
    draw.rectangle((80, 390, 480, 410), fill=accent)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return clean_picture(SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png"), "feed")


def _dated(post, days, rng):
    when = timezone.now() - datetime.timedelta(days=days, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
    Post.objects.filter(pk=post.pk).update(published_at=when, created_at=when)


def create_demo_feed(rng=None):
    rng = rng or random.Random(2026)
    admin = User.objects.filter(role=Role.ADMIN, state=State.ACTIVE).order_by("pk").first()
    moderator = User.objects.filter(role=Role.MODERATOR, state=State.ACTIVE).order_by("pk").first() or admin
    active = list(User.objects.filter(state=State.ACTIVE).order_by("pk"))
    alumni = [u for u in active if u.role == Role.ALUMNI]
    employees = [u for u in active if u.role == Role.EMPLOYEE]
    logins = {u.email.split("@")[0]: u for u in active if u.email and u.email.endswith("@demo.kizuna.example")}

    # Joins over the last 60 days, a few a day (older members joined before the feed existed).
    for member in rng.sample(active, min(60, len(active))):
        actions.do_add_join(member, timezone.now() - datetime.timedelta(days=rng.randint(0, 60),
                                                                         hours=rng.randint(0, 12)))
    for spec in ANNOUNCEMENTS:
        post = actions.do_save_official(admin, Post(), {
            "kind": Kind.ANNOUNCEMENT, "title": spec["title"], "body": spec["body"], "category": spec["category"],
            "pinned": spec.get("pinned", False), "audience": Audience.NETWORK, "publish_at": None})
        _dated(post, spec["days"], rng)
    actions.do_save_official(admin, Post(), {
        "kind": Kind.ANNOUNCEMENT, "title": SCHEDULED["title"], "body": SCHEDULED["body"],
        "category": SCHEDULED["category"], "pinned": False, "audience": Audience.NETWORK,
        "publish_at": timezone.now() + datetime.timedelta(days=SCHEDULED["days_ahead"])})
    for spec in STORIES:
        post = actions.do_save_official(moderator, Post(), {
            "kind": Kind.STORY, "title": spec["title"], "body": spec["body"], "category": "", "pinned": False,
            "audience": Audience.NETWORK, "publish_at": None}, image=_cover(spec["colours"]))
        _dated(post, spec["days"], rng)

    authors = {"alumni": [logins.get("alumni"), *alumni[:12]], "employee": [logins.get("employee"), *employees[:8]]}
    posts = []
    for index, (side, text, days) in enumerate(POSTS):
        author = [a for a in authors[side] if a][index % 3]
        posts.append(actions.do_create_post(author, body=text))
        _dated(posts[-1], days, rng)
    if logins.get("alumni") and logins.get("employee"):
        mention = actions.do_create_post(logins["employee"], body=(
            f"{mention_markup(logins['alumni'])} さん、先日はカジュアル面談ありがとうございました！"
            "チームのみんなも喜んでいました。"))
        _dated(mention, 1, rng)
        posts.append(mention)
    alumni_only = actions.do_create_post(alumni[3], audience=Audience.ALUMNI, body=(
        "アルムナイ同士で、転職後のキャリアについて話す会をオンラインで開きませんか？ 興味ある方はリアクションを 🙌"))
    _dated(alumni_only, 2, rng)
    posts.append(alumni_only)

    for post in [*posts, *Post.objects.filter(kind=Kind.STORY)]:
        for member in rng.sample(active, 6):
            if member.pk != post.author_id and actions.access.may_see(member, post):
                actions.do_toggle_reaction(member, post, rng.choice(["like", "celebrate", "thanks", "insightful"]))
        for member in rng.sample(active, rng.randint(0, 3)):
            if actions.access.may_see(member, post):
                actions.do_reply(member, post, body=rng.choice(REPLIES))

    # New positions: members who share their moves and show their current company.
    for member in alumni[20:24]:
        actions.do_add_move(member, timezone.now() - datetime.timedelta(days=rng.randint(1, 20)))
