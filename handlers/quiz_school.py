"""Quiz for schools: join by QR scene or 「加入学校 CODE」, class and name once, 排行榜."""

import re

from sqlalchemy import select

from bot.models import School, User
from bot.quiz import rank as quiz_rank
from handlers import side

PROFILE = "quiz_profile"
PROFILE_HELP = "请回复「班级 姓名」，比如：三年级2班 张小明"
PROFILE_PATTERN = re.compile(r"\s*(\S{1,16}?(?:班|级))[\s,，]*([\u4e00-\u9fa5·A-Za-z]{1,12})\s*")
TOP = 3


def register(bot):
    bot.command(r"(排行榜|排名|排行|看排名|我的排名|查排名)")(rankings)
    bot.command(r"加入学校\s*([A-Za-z0-9_-]{2,32})")(join_by_text)
    bot.command(r"(修改班级|改班级|修改姓名)")(ask_profile)
    bot.menu("RANKING")(rankings)
    bot.event("scan")(join_by_scan)
    bot.event("subscribe")(join_by_scan)
    bot.event("subscribe_scan")(join_by_scan)
    bot.state(PROFILE)(set_profile)


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
    """Join the school; ask for class and name unless this student already gave them here."""
    school = context.session.get(School, code.strip().upper())
    if school is None:
        return "没有找到这个学校代码，请向老师确认。"
    context.intent = "quiz"
    user = context.user
    if user.school_code == school.code and user.class_name:
        return f"你已经在「{school.name}」{user.class_name}了，发「答题」开始答题。"
    user.school_code, user.class_name = school.code, None
    user.role = "student" if user.role == "resident" else user.role
    context.session.commit()
    context.state.start(PROFILE, ttl=1800)
    return f"欢迎加入「{school.name}」垃圾分类答题！🎒\n{PROFILE_HELP}"


def ask_profile(message, context):
    if not context.user.school_code:
        return "请先发「加入学校 学校代码」（学校代码问老师）。"
    context.state.start(PROFILE, ttl=1800)
    return PROFILE_HELP


def set_profile(message, context):
    """「三年级2班 张小明」: class and name, once."""
    match = PROFILE_PATTERN.fullmatch(context.text or "")
    if not match:
        aside = side.answer(message, context)
        if aside:  # a question on the side: answered, and the class and name still asked for
            return f"{aside}\n\n📝 还差一步：{PROFILE_HELP}（发「取消」跳过）"
        return None if (context.text and len(context.text) > 20) else PROFILE_HELP + "（发「取消」跳过）"
    context.intent = "quiz"
    user = context.user
    user.class_name, user.display_name = match.group(1), match.group(2)
    context.session.commit()
    context.state.clear()
    return f"好的，{user.display_name}（{user.class_name}）！发「答题」开始第一轮吧，每天第一轮计入排名。"


# -- rankings -------------------------------------------------------------------------------------
def _scope_names(user):
    """{scope: label} for the student's scopes, narrowest first."""
    names = {"district": "全区"}
    if user.school_code:
        names[f"school:{user.school_code}"] = "全校"
        if user.class_name:
            names[f"class:{user.school_code}:{user.class_name}"] = "本班"
    return dict(reversed(names.items()))


def rankings(message, context):
    """Own place (this week / all time) and this week's top of class, school and district."""
    context.intent = "quiz"
    user, week = context.user, quiz_rank.week(context.now)
    scopes = _scope_names(user)
    boards = {(s, p): quiz_rank.board(context.session, context.redis, s, p, user.id, TOP)
              for s in scopes for p in (week, "all")}
    lines = ["🏆 排行榜（本周 / 累计）"]
    for scope, label in scopes.items():
        places = [boards[scope, p][0] for p in (week, "all")]
        lines.append(f"{label}：第 {places[0] or '—'} 名 / 第 {places[1] or '—'} 名")
    for scope, label in scopes.items():
        top = boards[scope, week][1]
        if top:
            people = _names(context, [uid for uid, _ in top], scope.split(":")[0])
            lines.append(f"本周{label}前 {TOP}：" + "，".join(f"{people[uid]} {int(s)}分" for uid, s in top))
    if not boards["district", week][1]:
        lines.append("本周还没有人答题，发「答题」抢第一！")
    if not user.school_code:
        lines.append("发「加入学校 学校代码」可参加班级和学校排名。")
    return "\n".join(lines)


def result_rank(context):
    """One line for the end of a round: this week's place in the class, school or district."""
    user, week = context.user, quiz_rank.week(context.now)
    scope, label = next(iter(_scope_names(user).items()))
    place, _ = quiz_rank.board(context.session, context.redis, scope, week, user.id, 1)
    if place is None:
        return f"本周{label}排名里还没有你的成绩（每天第一轮才计入）。"
    return f"本周{label}第 {place} 名。"


def _names(context, ids, board):
    """Display names: full on the class board, masked (张*明) beyond it, with the school district-wide."""
    rows = context.session.execute(select(User.id, User.display_name, School.name).where(User.id.in_(ids))
                                   .outerjoin(School, School.code == User.school_code))
    names = {}
    for uid, name, school in rows:
        name = (name if board == "class" else _mask(name)) if name else "匿名同学"
        names[uid] = name + (f"（{school}）" if school and board == "district" else "")
    return {uid: names.get(uid, "匿名同学") for uid in ids}


def _mask(name):
    """A child's name is not shown in full beyond the class: 张小明 -> 张*明, 李四 -> 李*."""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
