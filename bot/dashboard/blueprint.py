"""The dashboard blueprint and what it needs before its views register on it."""


import logging
from datetime import timedelta

from flask import Blueprint, render_template, request
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)
bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
login_manager = LoginManager()
csrf = CSRFProtect()


@bp.record_once
def setup(state):
    """Bind Flask-Login and CSRF to the app."""
    app = state.app
    # Flask already defaults these keys (31 days, no SameSite), so setdefault would be a no-op.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=app.config["DASHBOARD_IDLE_MINUTES"])
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    # Production is served over HTTPS (README): the staff session must never travel in clear text.
    app.config["SESSION_COOKIE_SECURE"] = app.config.get("SESSION_COOKIE_SECURE") or bool(app.config.get("PRODUCTION"))
    login_manager.init_app(app)
    login_manager.login_view = "dashboard.login"
    login_manager.login_message = "请先登录。"
    csrf.init_app(app)
    app.register_error_handler(CSRFError, csrf_failed)


def csrf_failed(error):
    """A form without a valid token: 400, with a page that tells staff what to do."""
    return render_template("dashboard/error.html", message="页面已过期或来源不明，请刷新页面后重试。"), 400


DATABASE_DOWN_PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>津管家 · 暂时不可用</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>数据库暂时连不上</h1>
<p>刚才的操作没有保存。请稍等一分钟后刷新页面再试；一直这样请联系系统管理员。</p></body></html>"""


@bp.errorhandler(SQLAlchemyError)
def database_down(error):
    """The database is down or restarting: a plain 503 page (the usual one needs the database
    for the logged-in user) and a clean session for the next request."""
    from bot.extensions import db

    db.session.rollback()
    log.exception("dashboard: database error on %s", request.path)
    return DATABASE_DOWN_PAGE, 503, {"Content-Type": "text/html; charset=utf-8", "Retry-After": "60"}


@bp.before_request
def refuse_nul():
    """A form with a NUL character is malformed (PostgreSQL can neither store nor compare it): 400."""
    if any("\x00" in value for _, values in request.form.lists() for value in values):
        return render_template("dashboard/error.html", message="提交的内容含有无效字符，请检查后重试。"), 400
    return None


@bp.after_request
def harden(response):
    """Citizens' text is hostile: no inline scripts, no framing, no content sniffing."""
    response.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


@login_manager.user_loader
def load_staff(staff_id):
    from bot.extensions import db
    from bot.models import StaffUser

    return db.session.get(StaffUser, int(staff_id)) if staff_id.isdigit() else None


