"""The demo network's jobs: postings of every kind, applications along the pipeline (one hired), casual
talks, a referral and members' return intention. Made through actions, like everything else."""

import datetime
import random

from django.utils import timezone

from kizuna.core.models import Department
from kizuna.members.models import Role, State, User

from . import actions
from .models import Posting, Stage

POSTINGS = [
    {"title": "プラットフォームエンジニア（出戻り歓迎）", "kind": "rehire",
     "department": "開発本部/プラットフォーム開発部", "location": "東京本社（渋谷）", "workplace": "hybrid",
     "skills": ["Python", "AWS", "Kubernetes"],
     "description": "決済・会員基盤を支えるプラットフォームの設計と運用をお任せします。\n\n"
                    "- マイクロサービス基盤（EKS）の改善\n- 監視・SRE の仕組みづくり\n- 若手エンジニアのレビューと育成",
     "requirements": "- Web サービスの開発・運用経験 3年以上\n- Python または Go での開発経験",
     "changes_since": "2024年からフルリモート勤務を選べるようになり、週1回の出社日以外は自宅で働くメンバーが大半です。"
                      "評価制度も半期ごとの目標設定に変わりました。"},
    {"title": "デジタルマーケティングの業務委託（週2日〜）", "kind": "contract", "department": "マーケティング部",
     "location": "フルリモート", "workplace": "remote", "skills": ["デジタルマーケティング", "広告運用"],
     "audience": "alumni",
     "description": "新サービスの立ち上げに向けて、広告運用とLP改善を一緒に進めてくださる方を探しています。",
     "requirements": "- 広告運用（Google / Meta）の実務経験\n- 週2日・月40時間程度の稼働",
     "changes_since": "マーケティング部は2025年に事業部ごとのチーム制になりました。"},
    {"title": "新規事業の壁打ち相手（副業・月10時間程度）", "kind": "side_job", "department": "経営企画部",
     "location": "オンライン", "workplace": "remote", "skills": ["事業開発", "SaaS"],
     "description": "社内ベンチャー制度で立ち上がった新規事業チームの相談役を副業でお願いします。"},
    {"title": "基幹システム刷新プロジェクトのPMO", "kind": "project", "department": "開発本部",
     "location": "東京本社／大阪支社", "workplace": "hybrid", "skills": ["プロジェクト管理"],
     "description": "2027年春の稼働に向けた基幹システム刷新プロジェクトで、進行管理と部門間の調整を担っていただきます。"
                    "期間は約12か月の予定です。"},
    {"title": "法人営業（再入社）", "kind": "rehire", "department": "営業本部/法人営業部", "location": "大阪支社",
     "workplace": "onsite", "status": "closed", "description": "関西エリアの法人のお客様を担当していただきます。"},
    {"title": "人事企画（再入社）", "kind": "rehire", "department": "人事部", "location": "東京本社",
     "workplace": "hybrid", "status": "draft", "description": "人事制度の企画と運用を担当していただきます。"},
]


def create_demo_jobs(admin, employee, alumnus, rng=None):
    rng = rng or random.Random(2026)
    departments = {d.path: d for d in Department.objects.all()}
    postings = []
    for spec in POSTINGS:
        spec = dict(spec)
        skills = spec.pop("skills", [])
        spec["department"] = departments.get(spec["department"])
        values = {"status": Posting.Status.OPEN, "audience": Posting.Audience.ALL, "contact": admin, **spec}
        if values["status"] != Posting.Status.DRAFT:
            values["closes_on"] = timezone.localdate() + datetime.timedelta(days=rng.choice([30, 45, 60]))
        if values["status"] == Posting.Status.CLOSED:
            values["status"] = Posting.Status.OPEN  # opened, applied for and hired first; closed below
        postings.append(actions.do_save_posting(admin, Posting(), values, skills=skills))
    platform, marketing, side_job, _project, sales, _draft = postings

    others = list(User.objects.filter(role=Role.ALUMNI, state=State.ACTIVE).exclude(pk=alumnus.pk)
                  .order_by("pk")[:40])
    # Applications along the pipeline, with HR's notes.
    application = actions.do_apply_to_job(alumnus, marketing, message="前職で担当した展示会の経験を活かしたいです。")
    actions.do_move_application(admin, application, Stage.SCREENING, note="広告運用の実績が豊富。面接を打診。")
    actions.do_move_application(admin, application, Stage.INTERVIEW)
    for member, stage in zip(others[:4], [Stage.NEW, Stage.SCREENING, Stage.OFFER, Stage.REJECTED], strict=True):
        application = actions.do_apply_to_job(member, platform, message="またこのチームで働きたいと思い応募しました。")
        path = {Stage.NEW: [], Stage.SCREENING: [Stage.SCREENING], Stage.OFFER: [Stage.SCREENING, Stage.INTERVIEW,
                                                                                      Stage.OFFER],
                Stage.REJECTED: [Stage.SCREENING, Stage.REJECTED]}[stage]
        for step in path:
            actions.do_move_application(admin, application, step)
    hired = actions.do_apply_to_job(others[4], sales, message="大阪に戻ることになり、また営業として貢献したいです。")
    for step in (Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER):
        actions.do_move_application(admin, hired, step)
    actions.do_move_application(admin, hired, Stage.HIRED, hired_on=timezone.localdate().replace(day=1),
                                note="出戻り採用。元の上司のチームに配属。")
    actions.do_save_posting(admin, sales, {"status": Posting.Status.CLOSED})
    actions.do_apply_to_job(others[5], side_job, message="SaaSの立ち上げ経験があります。")

    # Casual talks: the employee demo login offers them; one waits for them, HR scheduled one.
    actions.do_set_host(employee, active=True,
                        intro="プラットフォーム開発部の今のチーム、技術スタック、働き方についてお話しできます。")
    soon = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)  # talks in office hours
    actions.do_request_talk(others[6], employee, topic="開発チームの今の雰囲気を聞きたいです。",
                            times=[soon + datetime.timedelta(days=d, hours=h) for d, h in ((3, 1), (4, 3), (6, 2))])
    talk = actions.do_request_talk(alumnus, None, topic="業務委託と再入社、どちらが合うか相談したいです。",
                                   times=[soon + datetime.timedelta(days=5, hours=2)])
    actions.do_answer_talk(admin, talk, when=soon + datetime.timedelta(days=5, hours=2),
                           place="オンライン（Google Meet）", message="お気軽にお話ししましょう。")

    actions.do_refer(alumnus, platform, name="中村 大輔", email="daisuke.nakamura@example.com",
                     relation="現職の同僚（インフラエンジニア）", note="Kubernetes の運用経験が豊富です。", agreed=True)

    # Return intention of some alumni, across the four quadrants (most are "maybe" or "later").
    answers = [("yes", "now"), ("yes", "later"), ("maybe", "later"), ("maybe", "now"), ("not_now", "later")]
    for member in others[7:40]:
        want, can = rng.choices(answers, weights=[1, 3, 4, 1, 3])[0]
        actions.do_state_intention(member, want=want, can=can)
