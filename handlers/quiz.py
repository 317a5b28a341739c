"""答题: garbage-sorting quiz rounds, schools and classes, rankings (排行榜)."""

import random
import re
import time
from datetime import datetime, timedelta

import redis
from sqlalchemy import func, select

from bot import garbage_data, quiz
from bot.models import QuizAnswer, QuizRound, School, User
from bot.models.core import utcnow

STATE, PROFILE = "quiz", "quiz_profile"
ROUND_SIZE = 10
PROFILE_HELP = "请回复「班级 姓名」，比如：三年级2班 张小明"
_bank = []


def register(bot):
    bot.command(r"(答题|开始答题|我要答题|垃圾分类答题|知识竞赛|再来一轮)")(start)
    bot.command(r"(排行榜|排名|排行|看排名)")(rankings)
    bot.command(r"加入学校\s*([A-Za-z0-9_-]{2,32})")(join_by_text)
    bot.menu("QUIZ")(start)
    bot.menu("RANKING")(rankings)
    bot.event("scan")(join_by_scan)
    bot.event("subscribe")(join_by_scan)
    bot.event("subscribe_scan")(join_by_scan)
    bot.state(STATE)(answer)
    bot.state(PROFILE)(set_profile)
    bot.intent("quiz")(start_or_rank)


def warm_up(session=None):
    bank()


def bank():
    if not _bank:
        _bank.extend(quiz.load_bank())
    return _bank


def start_or_rank(message, context):
    return rankings(message, context) if re.search(r"排|名", context.text or "") else start(message, context)


def start(message, context):
    """A new round of ten questions; the first one comes with the instructions."""
    seed = context.config.get("QUIZ_SEED")
    rng = random.Random(seed) if seed is not None else random.Random()
    questions = quiz.build_round(rng, bank(), garbage_data.index(context.session), ROUND_SIZE)
    user = context.user
    row = QuizRound(user_id=user.id, school_code=user.school_code, class_name=user.class_name,
                    day=context.now.strftime("%Y%m%d"), total=len(questions))
    context.session.add(row)
    context.session.commit()
    context.state.start(STATE, ttl=context.config.get("QUIZ_IDLE_SECONDS", 600), round=row.id,
                        questions=[q.as_dict() for q in questions], index=0, score=0, started=time.time())
    context.intent = "quiz"
    intro = "🎯 垃圾分类答题开始！共 10 题，回复选项字母作答（多选如 AC，判断回复 对/错），发「退出」结束。\n\n"
    return intro + questions[0].render(1, len(questions))


def answer(message, context):
    """Feedback on the answer, then the next question or the result."""
    data = context.state.data
    question = data["questions"][data["index"]]
    given = quiz.parse_answer(context.text or "", question) if context.text else None
    if given is None:
        if context.text and len(context.text) > 6:
            return None  # a question on the side (e.g. a garbage question): answer it, keep the round
        hint = "判断题请回复「对」或「错」" if question["kind"] == "judge" else "请回复选项字母，如 A" + (
            "；多选题可回复 AC" if question["kind"] == "multi" else "")
        return f"{hint}。发「退出」可结束答题。"
    right = given == question["answer"]
    context.session.add(QuizAnswer(round_id=data["round"], question=question["text"][:300], given=given, correct=right))
    context.session.commit()
    feedback = "✅ 正确！" if right else f"❌ 错误。{quiz.explain(question)}"
    index, score = data["index"] + 1, data["score"] + right
    if index >= len(data["questions"]):
        return feedback + "\n\n" + finish(context, score)
    context.state.update(index=index, score=score, ttl=context.config.get("QUIZ_IDLE_SECONDS", 600))
    return feedback + "\n\n" + quiz.Question(**data["questions"][index]).render(index + 1, len(data["questions"]))


def finish(context, score):
    """Save the round; only the first finished round of the day counts for the rankings."""
    data, user = context.state.data, context.user
    row = context.session.get(QuizRound, data["round"])
    already = context.session.execute(select(func.count(QuizRound.id)).where(
        QuizRound.user_id == user.id, QuizRound.day == row.day, QuizRound.counts.is_(True))).scalar()
    row.score, row.finished_at = score, utcnow()
    row.duration_s = int(time.time() - data["started"])
    row.counts = not already
    context.session.commit()
    context.state.clear()
    if row.counts:
        quiz.add_score(context.redis, user, score, [_week(context.now), "all"])
    minutes, seconds = divmod(row.duration_s, 60)
    note = "" if row.counts else "\n（今天第一轮已计入排名，这一轮只作练习）"
    rank = _own_rank(context, "district", _week(context.now))
    where = f"本周全区第 {rank} 名" if rank else "发「加入学校 学校代码」可参加学校排名"
    return f"🏁 答题结束！得分 {score}/{len(data['questions'])}，用时 {minutes}分{seconds}秒。\n{where}。{note}\n发「排行榜」看排名，「答题」再来一轮。"


def _week(now):
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


# -- schools --------------------------------------------------------------------------------------
def join_by_scan(message, context):
    """A school's QR code: subscribe with qrscene_school:CODE, or SCAN with school:CODE."""
    key = (getattr(message, "key", None) or getattr(message, "scene_id", None) or "").removeprefix("qrscene_")
    if not key.startswith("school:"):
        return None
    return _join(context, key.split(":", 1)[1])


def join_by_text(message, context):
    return _join(context, context.match.group(1))


def _join(context, code):
    school = context.session.get(School, code.upper()) or context.session.get(School, code)
    if school is None:
        return "没有找到这个学校代码，请向老师确认。"
    user = context.user
    user.school_code, user.role = school.code, "student" if user.role == "resident" else user.role
    context.session.commit()
    context.state.start(PROFILE, ttl=1800)
    return f"欢迎加入「{school.name}」垃圾分类答题！🎒\n{PROFILE_HELP}"


def set_profile(message, context):
    match = re.fullmatch(r"\s*(\S{1,16}?班)\s*(\S{1,16})\s*", context.text or "")
    if not match:
        return None if (context.text and len(context.text) > 20) else PROFILE_HELP
    user = context.user
    user.class_name, user.display_name = match.group(1), match.group(2)
    context.session.commit()
    context.state.clear()
    return f"好的，{user.display_name}（{user.class_name}）！发「答题」开始第一轮吧。"


# -- rankings -------------------------------------------------------------------------------------
def rankings(message, context):
    """The student's own ranks and the top of class, school and district (this week and all time)."""
    user, week = context.user, _week(context.now)
    context.intent = "quiz"
    lines = ["🏆 排行榜（本周 / 累计）"]
    names = {"district": "全区", **({f"school:{user.school_code}": "全校"} if user.school_code else {}),
             **({f"class:{user.school_code}:{user.class_name}": "本班"} if user.class_name else {})}
    for scope in reversed(quiz.scopes(user)):
        week_rank, all_rank = _own_rank(context, scope, week), _own_rank(context, scope, "all")
        lines.append(f"{names[scope]}：第 {week_rank or '—'} 名 / 第 {all_rank or '—'} 名")
    top = _standings(context, "district", week)[:5]
    if top:
        people = _names(context, [uid for uid, _ in top])
        lines.append("本周全区前 5：" + "，".join(f"{people.get(uid, '同学')} {int(s)}分" for uid, s in top))
    else:
        lines.append("本周还没有人答题，发「答题」抢第一！")
    return "\n".join(lines)


def _own_rank(context, scope, period):
    standings = _standings(context, scope, period)
    return next((i for i, (uid, _) in enumerate(standings, start=1) if uid == context.user.id), None)


def _standings(context, scope, period):
    """[(user_id, score)] best first: Redis sorted set, rebuilt from the database when missing."""
    key = quiz.ranking_key(period, scope)
    try:
        if not context.redis.exists(key):
            rows = _from_db(context, scope, period)
            if rows:
                context.redis.zadd(key, {str(uid): score for uid, score in rows})
        return [(int(uid), score) for uid, score in context.redis.zrevrange(key, 0, -1, withscores=True)]
    except redis.RedisError:
        return _from_db(context, scope, period)


def _from_db(context, scope, period):
    query = select(QuizRound.user_id, func.sum(QuizRound.score)).where(QuizRound.counts.is_(True))
    if period != "all":
        year, week = int(period[:4]), int(period[-2:])
        monday = datetime.fromisocalendar(year, week, 1)
        days = [(monday + timedelta(days=i)).strftime("%Y%m%d") for i in range(7)]
        query = query.where(QuizRound.day.in_(days))
    parts = scope.split(":")
    if parts[0] in ("school", "class"):
        query = query.where(QuizRound.school_code == parts[1])
    if parts[0] == "class":
        query = query.where(QuizRound.class_name == parts[2])
    rows = context.session.execute(query.group_by(QuizRound.user_id)).all()
    return sorted(((uid, float(total)) for uid, total in rows), key=lambda r: -r[1])


def _names(context, ids):
    rows = context.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()
    return {uid: (name or f"同学{uid}") for uid, name in rows}
