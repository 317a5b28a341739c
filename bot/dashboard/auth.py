"""Log in and out: hashed passwords, lock-out after repeated failures, idle timeout.

Failures are counted three ways: per account in the database (the lock survives a Redis
restart), per typed name and per client address in Redis. A name that does not exist locks
exactly like one that does, so the answers never tell which names are real; an address that
keeps guessing across many names waits too. Behind nginx set TRUSTED_PROXIES=1 so the address
is the resident's, not the proxy's.
"""

import contextlib
import hashlib
import logging
import secrets
from datetime import timedelta
from functools import cache

import redis
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from bot.config import utcnow
from bot.dashboard.blueprint import bp
from bot.extensions import db
from bot.models import StaffUser

log = logging.getLogger(__name__)
MAX_FAILURES, LOCK_MINUTES = 5, 15
ADDRESS_FAILURES = 20  # per client address and LOCK_MINUTES, whatever names it tries
TOO_MANY = f"登录失败次数过多，请 {LOCK_MINUTES} 分钟后再试。"


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.tickets"))
    if request.method == "GET":
        return render_template("dashboard/login.html")
    username = request.form.get("username", "").strip()
    user = db.session.execute(select(StaffUser).filter_by(username=username)).scalar_one_or_none()
    if _throttled(username) or (user is not None and user.locked_until and user.locked_until > utcnow()):
        flash(TOO_MANY, "error")
        return render_template("dashboard/login.html"), 429
    if not _password_ok(user, request.form.get("password", "")):
        _failed(user)
        _count_failure(username)
        flash("用户名或密码错误。", "error")
        return render_template("dashboard/login.html"), 401
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, utcnow()
    db.session.commit()
    forget_failures(username)
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


def _keys(username):
    name = hashlib.sha256(username.lower().encode()).hexdigest()[:16]
    return f"login:fail:name:{name}", f"login:fail:addr:{request.remote_addr}"


def _throttled(username):
    """True while this typed name, or this client address, has failed too often lately."""
    try:
        by_name, by_address = current_app.extensions["redis"].mget(_keys(username))
    except redis.RedisError:
        return False  # the accounts' own lock in the database still holds
    return int(by_name or 0) >= MAX_FAILURES or int(by_address or 0) >= ADDRESS_FAILURES


def _count_failure(username):
    try:
        pipe = current_app.extensions["redis"].pipeline(transaction=False)
        for key in _keys(username):
            pipe.incr(key)
            pipe.expire(key, LOCK_MINUTES * 60, nx=True)
        pipe.execute()
    except redis.RedisError:
        log.warning("Redis unavailable: login failures counted per account only")


def forget_failures(username):
    with contextlib.suppress(redis.RedisError):
        current_app.extensions["redis"].delete(_keys(username)[0])


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
