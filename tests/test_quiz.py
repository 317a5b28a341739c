"""Quiz rounds, schools and rankings through /wechat."""

import csv
import re

import pytest

from bot import quiz
from bot.models import QuizRound

QUESTION = re.compile(r"第 (\d+)/10 题（(单选|多选|判断)）")


@pytest.fixture
def quiz_app(make_app):
    app = make_app(QUIZ_SEED=7)
    app.test_cli_runner().invoke(args=["quiz", "school", "add", "JJZX", "江津中学"])
    return app


@pytest.fixture
def chat(quiz_app):
    from tests.conftest import TOKEN
    from tests.support.wechat_client import WeChatServer

    return WeChatServer(quiz_app.test_client(), TOKEN)


def _right_answer(reply, bank_round):
    """The answer to the question shown last in reply, from the round kept in Redis."""
    number = int(QUESTION.findall(reply)[-1][0])
    return bank_round[number - 1]


def _questions(app, openid):
    import json

    raw = app.extensions["redis"].get(f"state:{openid}")
    data = json.loads(raw)["data"]
    return data["questions"]


def _say_answer(question, right=True):
    letters = question["answer"] if right else next(c for c in "ABCD" if c != question["answer"])
    if question["kind"] == "judge":
        return {"A": "对", "B": "错"}[letters] if right else {"A": "错", "B": "对"}[question["answer"]]
    return letters.lower() if right else letters


def test_reviewed_bank_fixes_wrong_keys():
    bank = {q.text: q for q in quiz.load_bank()}
    assert bank["海绵是可回收物。"].answer == "B"
    assert bank["混杂、污染、难分解的塑料类、玻璃类、纸类等生活垃圾属于可回收物?"].answer == "B"
    assert len(bank) == 73


@pytest.mark.parametrize("text, kind, expected", [
    ("a", "single", "A"), ("选 B", "single", "B"), ("AB", "single", None), ("对", "judge", "A"),
    ("错", "judge", "B"), ("a c d", "multi", "ACD"), ("E", "single", None), ("电池是什么垃圾", "single", None),
])
def test_answer_parsing(text, kind, expected):
    question = {"kind": kind, "options": ["甲", "乙"] if kind == "judge" else ["甲", "乙", "丙", "丁"], "answer": "A"}
    assert quiz.parse_answer(text, question) == expected


def test_full_round_with_feedback_score_and_persistence(quiz_app, chat):
    first = chat.say("o-q1", "答题")
    assert QUESTION.search(first)
    questions = _questions(quiz_app, "o-q1")
    reply = first
    for i, question in enumerate(questions):
        reply = chat.say("o-q1", _say_answer(question, right=i < 7))
        assert ("✅ 正确" in reply) if i < 7 else ("❌ 错误" in reply and "正确答案" in reply)
    assert "得分 7/10" in reply and "用时" in reply
    with quiz_app.app_context():
        row = QuizRound.query.one()
        assert row.score == 7 and row.counts and row.finished_at is not None


def test_invalid_answer_gets_a_hint_and_exit_works(chat):
    chat.say("o-q2", "答题")
    assert "回复" in chat.say("o-q2", "Z")
    assert "已退出答题" in chat.say("o-q2", "退出")
    assert "抱歉" in chat.say("o-q2", "Z") or "没太明白" in chat.say("o-q2", "Z")


def test_idle_round_expires(make_app):
    from tests.conftest import TOKEN
    from tests.support.wechat_client import WeChatServer

    app = make_app(QUIZ_SEED=1, QUIZ_IDLE_SECONDS=1)
    server = WeChatServer(app.test_client(), TOKEN)
    import time

    server.say("o-q3", "答题")
    assert app.extensions["redis"].ttl("state:o-q3") <= 1
    time.sleep(1.2)  # the round was idle longer than QUIZ_IDLE_SECONDS
    reply = server.say("o-q3", "A")
    assert "正确" not in reply and "错误" not in reply


def test_school_join_by_scan_and_subscribe_and_text(quiz_app, chat):
    assert "江津中学" in chat.event("o-s1", "SCAN", EventKey="school:JJZX", Ticket="t")["Content"]
    assert "班级 姓名" in chat.event("o-s2", "subscribe", EventKey="qrscene_school:JJZX", Ticket="t")["Content"]
    assert "江津中学" in chat.say("o-s3", "加入学校 jjzx")
    assert "没有找到" in chat.say("o-s4", "加入学校 NOPE")
    assert "张小明" in chat.say("o-s1", "三年级2班 张小明")


def _play(app, chat, openid, right):
    chat.say(openid, "答题")
    for i, question in enumerate(_questions(app, openid)):
        chat.say(openid, _say_answer(question, right=i < right))


def test_rankings_first_round_per_day_counts(quiz_app, chat):
    chat.say("o-r1", "加入学校 JJZX")
    chat.say("o-r1", "三年级2班 张小明")
    chat.say("o-r2", "加入学校 JJZX")
    chat.say("o-r2", "三年级2班 李小红")
    _play(quiz_app, chat, "o-r1", 9)
    _play(quiz_app, chat, "o-r2", 5)
    _play(quiz_app, chat, "o-r2", 10)  # second round today: practice only
    board = chat.say("o-r2", "排行榜")
    assert "本班：第 2 名" in board and "张小明 9分" in board and "李小红 5分" in board
    with quiz_app.app_context():
        assert [r.counts for r in QuizRound.query.order_by(QuizRound.id)] == [True, True, False]
    quiz_app.extensions["redis"].flushdb()  # rankings are rebuilt from the database
    assert "本班：第 2 名" in chat.say("o-r2", "排行榜")


def test_export_for_teachers_and_qrcode(quiz_app, chat, tmp_path, make_app, standin):
    chat.say("o-e1", "加入学校 JJZX")
    chat.say("o-e1", "五年级1班 王小华")
    _play(quiz_app, chat, "o-e1", 8)
    out = tmp_path / "results.csv"
    result = quiz_app.test_cli_runner().invoke(args=["quiz", "export", "--school", "JJZX", "--out", str(out)])
    assert result.exit_code == 0
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[1][:5] == ["JJZX", "五年级1班", "王小华", rows[1][3], "8"]
    quiz_app.config.update(WECHAT_API_BASE_URL=standin.base_url, WECHAT_SECRET="s")
    printed = quiz_app.test_cli_runner().invoke(args=["quiz", "qrcode", "JJZX"]).output
    assert "school:JJZX" in printed
    assert standin.sent("qrcode/create")[0]["action_info"]["scene"]["scene_str"] == "school:JJZX"


def test_dashboard_shows_quiz_participation(quiz_app, chat):
    from tests.support.dashboard import login, make_staff

    chat.say("o-d1", "加入学校 JJZX")
    chat.say("o-d1", "四年级3班 赵小川")
    _play(quiz_app, chat, "o-d1", 6)
    make_staff(quiz_app, "admin", "数字城管指挥中心", admin=True)
    client = quiz_app.test_client()
    login(client, "admin")
    page = client.get("/dashboard/stats").get_data(as_text=True)
    assert "江津中学" in page and "四年级3班" in page and "6.0" in page
