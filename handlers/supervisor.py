"""群众监督员: bind with an invite code, see points, count and monthly rank."""

from sqlalchemy import func, select

from bot import supervisors as ledger
from bot.config import utcnow
from bot.models import Supervisor, Ticket

MENU = ("监督员专区：\n· 随手拍：直接发问题描述、照片或位置\n· 「我的反映」看工单\n· 「我的积分」看积分和本月排名")


def register(bot):
    bot.command(r"绑定\s*([A-Za-z0-9]{4,16})")(bind)
    bot.command(r"(绑定|监督员绑定|绑定监督员)")(how_to_bind)
    bot.command(r"(我的积分|积分|积分排名|监督员积分排名|本月排名)")(points)
    bot.menu("SUPERVISOR")(supervisor_menu)
    bot.menu("MY_POINTS")(points)
    bot.intent("supervisor")(supervisor_menu)


def how_to_bind(message, context):
    return "请发送「绑定 邀请码」，比如「绑定 K7P2QX」。邀请码由区城管局发放。"


def bind(message, context):
    """绑定 CODE: the sender becomes the supervisor this code was issued to."""
    code = context.match.group(1).upper()
    user = context.user
    supervisor = context.session.execute(select(Supervisor).filter_by(invite_code=code)).scalar_one_or_none()
    if supervisor is None or not supervisor.active:
        return "邀请码不对或已停用，请核对后再发，或联系区城管局。"
    holder = ledger.supervisor_user(context.session, supervisor)
    if holder is not None and holder.id != user.id:
        return "这个邀请码已经被其他微信号绑定了。如需换绑请联系区城管局。"
    user.role, user.supervisor_id = "supervisor", supervisor.id
    supervisor.bound_at = supervisor.bound_at or utcnow()
    context.session.commit()
    from bot.tickets import notify

    context.enqueue(notify.tag_supervisor, user.openid)  # their own menu appears in WeChat
    return f"绑定成功！欢迎您，群众监督员 {supervisor.name} 🦺\n" + MENU


def supervisor_menu(message, context):
    if context.user is None or context.user.role != "supervisor":
        return how_to_bind(message, context)
    return MENU


def points(message, context):
    """Points, number of reports and this month's rank."""
    user = context.user
    if user is None or user.role != "supervisor" or user.supervisor is None:
        return "积分是群众监督员的功能。" + how_to_bind(message, context)
    supervisor = user.supervisor
    count = context.session.execute(select(func.count(Ticket.id)).filter_by(supervisor_id=supervisor.id)).scalar()
    rank, month, ranked = ledger.standing(context.session, context.redis, supervisor.id, context.now)
    place = f"第 {rank} 名（共 {ranked} 人）" if rank else "暂无排名，本月还没有有效反映"
    return (f"{supervisor.name}，您的积分：{supervisor.points} 分\n累计反映：{count} 件\n"
            f"本月积分：{month} 分，排名：{place}")
