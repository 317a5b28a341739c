"""Quiz through /wechat: weekly and all-time boards, fair play, Redis lost or down, side questions."""

import csv
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import redis

from bot.extensions import db
from bot.quiz import rank as quiz_rank
from tests.conftest import TOKEN
from tests.support.wechat_client import WeChatServer
from tests.test_quiz import QUESTION, _play, _questions, _say_answer

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def quiz_app(make_app):
    """Deterministic rounds, one school, no rate limit (a test plays many rounds in a minute)."""
    app = make_app(QUIZ_SEED=7, RATE_LIMIT_PER_MINUTE=0)
    app.test_cli_runner().invoke(args=["quiz", "school", "add", "JJZX", "江津中学"])
    return app


@pytest.fixture
def chat(quiz_app):
    return WeChatServer(quiz_app.test_client(), TOKEN)


@pytest.fixture
def clocked(make_app):
    """An app whose clock the test moves; returns (app, chat, clock)."""
    clock = {"now": datetime(2026, 11, 16, 9, 0, tzinfo=TZ)}  # Monday of ISO week 47
    app = make_app(QUIZ_SEED=7, RATE_LIMIT_PER_MINUTE=0, CLOCK=lambda: clock["now"])
    return app, WeChatServer(app.test_client(), TOKEN), clock


def test_weekly_and_all_time_boards_count_only_the_first_round_a_day(clocked):
    app, chat, clock = clocked
    _play(app, chat, "o-w1", 8)  # week 47
    clock["now"] = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)  # Monday, week 48
    _play(app, chat, "o-w1", 6)
    chat.say("o-w1", "答题")
    for question in _questions(app, "o-w1"):
        last = chat.say("o-w1", _say_answer(question, right=True))
    assert "得分 10/10" in last and "这一轮是练习" in last  # the second round today does not count
    _play(app, chat, "o-w2", 10)
    clock["now"] = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)  # Tuesday: a new day counts again
    _play(app, chat, "o-w1", 3)
    board = chat.say("o-w2", "排行榜")  # week 48: o-w2 10, o-w1 6+3; all time: o-w1 17, o-w2 10
    assert "全区：第 1 名 / 第 2 名" in board
    assert "本周全区前 3：匿名同学 10分，匿名同学 9分" in board
    assert "全区：第 2 名 / 第 1 名" in chat.say("o-w1", "排行榜")
    app.extensions["redis"].flushdb()  # boards are rebuilt from the database
    assert "全区：第 1 名 / 第 2 名" in chat.say("o-w2", "排行榜")


def test_a_board_lost_from_redis_is_rebuilt_whole(quiz_app, chat):
    _play(quiz_app, chat, "o-l1", 9)
    chat.say("o-l1", "排行榜")
    quiz_app.extensions["redis"].flushdb()
    _play(quiz_app, chat, "o-l2", 4)  # must not start a fresh board holding only this round
    assert "全区：第 2 名 / 第 2 名" in chat.say("o-l2", "排行榜")


class DownRedis:
    """A Redis client whose server is unreachable."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise redis.ConnectionError("down")

        return fail


def test_rankings_come_from_the_database_when_redis_is_down(quiz_app, chat):
    _play(quiz_app, chat, "o-d1", 5)
    _play(quiz_app, chat, "o-d2", 7)
    with quiz_app.app_context():
        week = quiz_rank.week(quiz_app.config["CLOCK"]())
        board = quiz_rank.standings(db.session, DownRedis(), "district", week)
        assert [score for _, score in board] == [7.0, 5.0]
        place, top = quiz_rank.board(db.session, DownRedis(), "district", week, board[1][0], top=1)
        assert place == 2 and top == board[:1]


def test_a_garbage_question_mid_round_is_answered_and_the_round_goes_on(quiz_app, chat):
    chat.say("o-g1", "答题")
    reply = chat.say("o-g1", "纸巾是什么垃圾")
    assert "其他垃圾" in reply and "答题进行中，第 1 题" in reply and "退出" in reply
    first = _questions(quiz_app, "o-g1")[0]
    assert "✅ 正确" in chat.say("o-g1", _say_answer(first))


def test_a_report_mid_round_leaves_the_quiz(quiz_app, chat):
    chat.say("o-g2", "答题")
    reply = chat.say("o-g2", "小区门口的路灯坏了好几天了")
    assert not QUESTION.search(reply)
    state = json.loads(quiz_app.extensions["redis"].get("state:o-g2"))
    assert state["name"] == "report"


def test_menu_buttons_start_a_round_and_show_rankings(chat):
    assert QUESTION.search(chat.click("o-m1", "QUIZ")["Content"])
    assert "已退出答题" in chat.say("o-m1", "取消")
    board = chat.event("o-m1", "CLICK", EventKey="RANKING", create_time=1795000001)["Content"]
    assert "排行榜" in board and "加入学校" in board


def test_joining_again_keeps_class_and_name(chat):
    chat.say("o-j1", "加入学校 JJZX")
    assert "张小明（三年级2班）" in chat.say("o-j1", "三年级2班张小明")
    assert "已经在「江津中学」三年级2班" in chat.event("o-j1", "SCAN", EventKey="school:JJZX", Ticket="t")["Content"]


def test_class_export_for_teachers(quiz_app, chat, tmp_path):
    for openid, profile, right in (("o-x1", "五年级1班 王小华", 8), ("o-x2", "五年级2班 陈小雨", 6)):
        chat.say(openid, "加入学校 JJZX")
        chat.say(openid, profile)
        _play(quiz_app, chat, openid, right)
    out = tmp_path / "class.csv"
    result = quiz_app.test_cli_runner().invoke(
        args=["quiz", "export", "--school", "jjzx", "--class", "五年级2班", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 2 and rows[1][1:3] == ["五年级2班", "陈小雨"] and rows[1][4] == "6" and rows[1][7] == "是"


def test_schools_have_their_town_and_exports_are_safe_in_a_spreadsheet(quiz_app, chat, tmp_path):
    runner = quiz_app.test_cli_runner()
    assert "JJZX\t江津中学\t几江街道" in runner.invoke(args=["quiz", "school", "add", "jjzx", "江津中学", "--district", "几江"]).output
    assert runner.invoke(args=["quiz", "school", "add", "X1", "某校", "--district", "解放碑"]).exit_code != 0
    assert "JJZX\t江津中学\t几江街道\t0 名学生" in runner.invoke(args=["quiz", "school", "list"]).output
    chat.say("o-f1", "加入学校 JJZX")
    chat.say("o-f1", "=1+1班 王小华")
    _play(quiz_app, chat, "o-f1", 5)
    out = tmp_path / "all.csv"
    runner.invoke(args=["quiz", "export", "--out", str(out)])
    row = list(csv.reader(out.open(encoding="utf-8-sig")))[1]
    assert row[1] == "'=1+1班" and row[8:] == ["江津中学", "几江街道"]


def test_quiz_commands_work_mid_round(quiz_app, chat):
    chat.say("o-c1", "答题")
    assert "排行榜" in chat.say("o-c1", "排行榜")
    first = _questions(quiz_app, "o-c1")[0]
    assert "✅ 正确" in chat.say("o-c1", _say_answer(first))  # the round went on
    assert "班级 姓名" in chat.say("o-c1", "加入学校 JJZX")
