"""答题: a garbage-sorting quiz round of ten questions, feedback on every answer, score, time, rank.

Schools, classes and the 排行榜 live in handlers/quiz_school.py (registered from here).
"""

import random
import re
from datetime import UTC

from sqlalchemy import func, select

from bot import quiz
from bot.models import QuizAnswer, QuizRound
from bot.quiz import rank as quiz_rank
from handlers import garbage, quiz_school, side
from handlers.common import in_local_words

STATE = "quiz"
ROUND_SIZE = 10
OTHER_FEATURES = ("report", "parking", "status", "supervisor")  # their messages leave the quiz to them
OWN_COMMANDS = re.compile(r"\s*(排行榜|排名|排行|看排名|我的排名|加入学校.*|答题|再来一轮)\s*")  # work mid-round too


def register(bot):
    bot.command(r"(答题|开始答题|我要答题|垃圾分类答题|知识竞赛|再来一轮|再来一次)")(start)
    bot.menu("QUIZ")(start)
    bot.state(STATE)(answer)
    quiz_school.register(bot)
    bot.intent("quiz")(start_or_rank)


@in_local_words
def start_or_rank(message, context):
    """nlp says quiz: 「我的排名」 shows rankings, anything else starts a round."""
    wants_rank = any(word in (context.text or "") for word in ("排", "名次", "第几"))
    return quiz_school.rankings(message, context) if wants_rank else start(message, context)


@in_local_words
def start(message, context):
    """A new round of ten questions; the first one comes with the instructions."""
    seed = context.config["QUIZ_SEED"]
    rng = random.Random(seed) if seed is not None else random.Random()
    questions = context.quiz.round(rng, context.garbage.index(context.session), ROUND_SIZE)
    user, now = context.user, context.now
    row = QuizRound(user_id=user.id, school_code=user.school_code, class_name=user.class_name,
                    day=now.strftime("%Y%m%d"), total=len(questions), started_at=now.astimezone(UTC))
    context.session.add(row)
    context.session.commit()
    context.state.start(STATE, ttl=_idle(context), round=row.id, questions=[q.as_dict() for q in questions],
                        index=0, score=0, started=now.timestamp())
    context.intent = "quiz"
    intro = (f"🎯 垃圾分类答题开始！共 {len(questions)} 题，回复选项字母作答（多选如 AC，判断回复 对/错），"
             "发「退出」结束。\n\n")
    return intro + quiz.Question(**questions[0].as_dict()).render(1, len(questions))


@in_local_words
def answer(message, context):
    """Feedback on the answer, then the next question or the result; other messages get a way out."""
    data = context.state.data
    question = data["questions"][data["index"]]
    given = quiz.parse_answer(context.text, question) if context.text else None
    if given is None:
        return _not_an_answer(message, context, question)
    context.intent = "quiz"
    right = given == question["answer"]
    context.session.add(QuizAnswer(round_id=data["round"], question=question["text"][:300], given=given,
                                   correct=right))
    context.session.commit()
    index, score = data["index"] + 1, data["score"] + right
    reply = quiz.feedback(question, given)
    if index >= len(data["questions"]):
        return reply + "\n\n" + finish(context, score)
    context.state.update(index=index, score=score, ttl=_idle(context))
    return reply + "\n\n" + _render(data, index)


def _not_an_answer(message, context, question):
    """A garbage question is answered with a reminder; another feature's request leaves the quiz."""
    reminder = f"（答题进行中，第 {context.state.data['index'] + 1} 题：{quiz.hint(question)}；发「退出」结束答题）"
    aside = side.answer(message, context) or (garbage.answer_bare_item(message, context) if context.text else None)
    if aside:  # a sorting question, the hotline, thanks…: answered, and the round goes on
        return f"{aside}\n\n{reminder}"
    if context.text and (OWN_COMMANDS.fullmatch(context.text) or context.understanding.intent in OTHER_FEATURES):
        return None  # 「排行榜」 is answered as usual; 「路灯坏了」: the report takes over and the round is left
    context.intent = "quiz"
    return f"{quiz.hint(question)}，发「退出」可结束答题。\n\n" + _render(context.state.data, context.state.data["index"])


def _render(data, index):
    return quiz.Question(**data["questions"][index]).render(index + 1, len(data["questions"]))


def _idle(context):
    return int(context.config["QUIZ_IDLE_SECONDS"])


def finish(context, score):
    """Save the round; only the first finished round of the day counts for the rankings."""
    data, user, now = context.state.data, context.user, context.now
    row = context.session.get(QuizRound, data["round"])
    counted = context.session.execute(select(func.count(QuizRound.id)).where(
        QuizRound.user_id == user.id, QuizRound.day == row.day, QuizRound.counts.is_(True))).scalar()
    row.score, row.finished_at, row.counts = score, now.astimezone(UTC), not counted
    row.duration_s = max(0, int(now.timestamp() - data["started"]))
    context.session.commit()
    context.state.clear()
    if row.counts:
        quiz_rank.add_score(context.redis, row, now)
    minutes, seconds = divmod(row.duration_s, 60)
    took = f"{minutes}分{seconds:02d}秒" if minutes else f"{seconds}秒"
    lines = [f"🏁 答题结束！得分 {score}/{row.total}，用时 {took}。", quiz_school.result_rank(context)]
    if not row.counts:
        lines.append("（今天的第一轮已计入排名，这一轮是练习）")
    lines.append("发「排行榜」看排名，发「答题」再来一轮。")
    return "\n".join(lines)
