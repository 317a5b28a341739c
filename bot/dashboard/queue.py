"""The ticket queue, a ticket's page and the actions staff take on it."""

import csv
import io
import re
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import func, select

from bot import tickets as service
from bot.config import TZ, utcnow
from bot.dashboard.blueprint import bp
from bot.extensions import db
from bot.models import Category, Department, Ticket, TicketFollower, TicketPhoto

SOURCES = service.SOURCE_NAMES
PAGE_SIZE = 50


def visible():
    """Tickets this account may see: all for admins, their department's for others."""
    query = select(Ticket)
    if not current_user.is_admin:
        query = query.where(Ticket.department_id == current_user.department_id)
    return query


def ticket_or_404(number):
    """A ticket this account may see, else 404 (a malformed number never reaches the database)."""
    ticket = None
    if re.fullmatch(r"[A-Za-z0-9]{1,16}", number or ""):
        ticket = db.session.execute(visible().where(Ticket.number == number)).scalar_one_or_none()
    if ticket is None:
        abort(404)  # another department's ticket looks exactly like a missing one
    return ticket


def filtered(args):
    """The queue's query: only known values filter (PostgreSQL rejects e.g. NUL in text)."""
    query = visible()
    if args.get("status") in service.STATES:
        query = query.where(Ticket.status == args["status"])
    if re.fullmatch(r"[a-z0-9_]{1,40}", args.get("category", "")):
        query = query.where(Ticket.category_code == args["category"])
    if re.fullmatch(r"[0-9]{1,9}", args.get("department", "")) and current_user.is_admin:
        query = query.where(Ticket.department_id == int(args["department"]))
    if args.get("source") in SOURCES:
        query = query.where(Ticket.source == args["source"])
    for name, bound in (("date_from", time.min), ("date_to", time.max)):
        if args.get(name):
            try:
                moment = datetime.combine(datetime.strptime(args[name], "%Y-%m-%d").date(), bound, TZ)
            except ValueError:
                continue
            query = query.where(Ticket.created_at >= moment if name == "date_from" else Ticket.created_at <= moment)
    if args.get("overdue"):
        query = query.where(Ticket.status.in_(service.OPEN_STATES), Ticket.due_at < utcnow())
    return query.order_by(Ticket.created_at.desc())


@bp.get("/")
@login_required
def tickets():
    query = filtered(request.args)
    total = db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(pages, int(request.args["page"])) if re.fullmatch(r"[1-9][0-9]{0,5}", request.args.get("page", "")) else 1
    rows = db.session.execute(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).scalars().all()
    return render_template("dashboard/tickets.html", tickets=rows, now=utcnow(), sources=SOURCES, total=total,
                           page=page, pages=pages, page_url=_page_url, states=service.STATES,
                           categories=_categories(), departments=_departments())


def _page_url(page):
    """This queue view (same filters) at another page."""
    return url_for("dashboard.tickets", **{**request.args.to_dict(), "page": page})


@bp.get("/tickets.csv")
@login_required
def export():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["工单号", "受理时间", "类别", "部门", "状态", "来源", "地址", "描述", "时限", "满意度"])
    for t in db.session.execute(filtered(request.args).limit(50000)).scalars():
        writer.writerow([_cell(v) for v in (t.number, _local(t.created_at), t.category.name, t.department.name, t.status,
                                            SOURCES.get(t.source, t.source), t.address, t.description,
                                            _local(t.due_at), t.rating)])
    return Response("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=tickets.csv"})


def _cell(value):
    """Spreadsheet formula injection: a cell starting with = + - @ is made plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _local(moment):
    return moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


@bp.get("/tickets/<number>")
@login_required
def ticket(number):
    row = ticket_or_404(number)
    followers = db.session.execute(select(func.count(TicketFollower.id)).filter_by(ticket_id=row.id)).scalar()
    return render_template("dashboard/ticket.html", t=row, followers=followers, states=service.STATES,
                           categories=_categories(), now=utcnow(), sources=SOURCES)


@bp.post("/tickets/<number>/status")
@login_required
def change_status(number):
    return _act(number, lambda t, actor, enqueue: service.change_status(
        db.session, t, request.form.get("status", ""), actor=actor, note=request.form.get("note") or None,
        reason=request.form.get("reason") or None, enqueue=enqueue))


@bp.post("/tickets/<number>/reroute")
@login_required
def reroute(number):
    return _act(number, lambda t, actor, enqueue: service.reroute(
        db.session, t, request.form.get("category", ""), actor=actor, enqueue=enqueue))


@bp.post("/tickets/<number>/merge")
@login_required
def merge(number):
    def act(t, actor, enqueue):
        into = db.session.execute(visible().where(Ticket.number == request.form.get("into", "").strip())).scalar_one_or_none()
        if into is None:
            raise service.TicketError("找不到要合并到的工单")
        return service.merge(db.session, t, into, actor=actor, enqueue=enqueue)

    return _act(number, act)


def _act(number, action):
    """Run an action as this staff member; history and notifications come from the service."""
    row = ticket_or_404(number)
    try:
        action(row, f"staff:{current_user.username}", current_app.extensions["jobs"].enqueue)
        flash("已保存；给反映人的微信通知已排队发送。", "ok")
    except service.TicketError as error:
        db.session.rollback()
        flash(str(error), "error")
    if not current_user.is_admin and row.department_id != current_user.department_id:
        flash(f"工单 {number} 已改派其他部门。", "ok")  # rerouted away: its page is no longer ours
        return redirect(url_for("dashboard.tickets"))
    return redirect(url_for("dashboard.ticket", number=number))


@bp.get("/photos/<int:photo_id>")
@login_required
def photo(photo_id):
    row = db.session.get(TicketPhoto, photo_id)
    if row is None or not row.path:
        abort(404)
    ticket_or_404(row.ticket.number)
    return send_from_directory(current_app.config["MEDIA_DIR"], row.path)


def _categories():
    return db.session.execute(select(Category).order_by(Category.code)).scalars().all()


def _departments():
    return db.session.execute(select(Department).order_by(Department.id)).scalars().all()


def web_link(url):
    """An http(s) URL safe to put in href, else None (javascript:, data: and friends never are)."""
    url = (url or "").strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") and urlsplit(url).netloc else None


def overdue(t, now):
    return t.status in service.OPEN_STATES and t.due_at is not None and t.due_at < now


bp.add_app_template_global(overdue, "overdue")
bp.add_app_template_global(web_link, "web_link")
bp.add_app_template_filter(_local, "local")
bp.add_app_template_filter(service.actor_name, "actor")
bp.add_app_template_filter(lambda action: service.ACTION_NAMES.get(action, action), "action")
bp.add_app_template_global(timedelta, "timedelta")
