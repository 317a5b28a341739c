"""Log in and out: hashed passwords, lock-out after repeated failures, idle timeout."""

import secrets
from datetime import timedelta
from functools import cache

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from bot.dashboard import bp
from bot.extensions import db
from bot.models import StaffUser
from bot.models.core import utcnow

MAX_FAILURES, LOCK_MINUTES = 5, 15


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.tickets"))
    if request.method == "GET":
        return render_template("dashboard/login.html")
    username = request.form.get("username", "").strip()
    user = db.session.execute(select(StaffUser).filter_by(username=username)).scalar_one_or_none()
    if user is not None and user.locked_until and user.locked_until > utcnow():
        flash(f"登录失败次数过多，账号已锁定 {LOCK_MINUTES} 分钟。", "error")
        return render_template("dashboard/login.html"), 429
    if not _password_ok(user, request.form.get("password", "")):
        _failed(user)
        flash("用户名或密码错误。", "error")
        return render_template("dashboard/login.html"), 401
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, utcnow()
    db.session.commit()
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME without activity
    login_user(user)
    return redirect(url_for("dashboard.tickets"))


@cache
def _unknown_user_hash():
    return generate_password_hash(secrets.token_hex(16))


def _password_ok(user, password):
    """The password check; an unknown name costs the same hashing, so timing does not tell names apart."""
    if user is None:
        check_password_hash(_unknown_user_hash(), password)
        return False
    return user.check_password(password) and user.active


def _failed(user):
    if user is None:
        return
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = utcnow() + timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0
    db.session.commit()


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("dashboard.login"))


@bp.before_request
def refresh_session():
    """Every request of a logged-in user renews the idle timeout."""
    session.modified = True
