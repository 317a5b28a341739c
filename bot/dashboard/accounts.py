"""Staff accounts for admins: see who is locked out, unlock, disable or enable (created by the CLI)."""

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from bot.config import utcnow
from bot.dashboard.auth import forget_failures
from bot.dashboard.blueprint import bp
from bot.dashboard.manage import admin_only
from bot.extensions import db
from bot.models import StaffUser


@bp.get("/manage/accounts")
@admin_only
def accounts():
    rows = db.session.execute(select(StaffUser).order_by(StaffUser.username)).scalars().all()
    return render_template("dashboard/accounts.html", rows=rows, now=utcnow())


@bp.post("/manage/accounts/<int:staff_id>")
@admin_only
def account_action(staff_id):
    """Unlock, disable or enable one account; an admin never disables their own."""
    user = db.session.get(StaffUser, staff_id) if staff_id < 2**31 else None
    action = request.form.get("action", "")
    if user is None or not re.fullmatch(r"unlock|disable|enable", action):
        abort(404)
    if action == "disable" and user.id == current_user.id:
        flash("不能停用自己的账号。", "error")
        return redirect(url_for("dashboard.accounts"))
    if action == "unlock":
        user.failed_logins, user.locked_until = 0, None
        forget_failures(user.username)
    else:
        user.active = action == "enable"
    db.session.commit()
    flash(f"已更新账号 {user.username}。", "ok")
    return redirect(url_for("dashboard.accounts"))
