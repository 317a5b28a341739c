"""Reference data for admins: garbage items, supervisors, categories' SLA and keywords, parking lots."""

import re
from functools import wraps

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

import nlp
from bot import garbage as garbage_data
from bot.dashboard.blueprint import bp
from bot.extensions import db
from bot.models import Category, StaffKeyword, Supervisor
from bot.models.garbage import GarbageItem
from bot.models.parking import ParkingLot
from bot.parking import lots as parking_data
from bot.supervisors import invite
from bot.understanding import KeywordError

MAX_SLA_HOURS, MAX_RADIUS_M = 2000, 10_000  # beyond any real limit, inside the integer columns


def admin_only(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.route("/manage/garbage", methods=["GET", "POST"])
@admin_only
def garbage():
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        aliases = [a.strip() for a in request.form.get("aliases", "").replace("，", ",").split(",") if a.strip()]
        try:
            garbage_data.upsert_item(db.session, name, request.form.get("category", ""), aliases,
                                     f"staff:{current_user.username}")
            current_app.extensions["garbage"].refresh_soon()
            flash(f"已保存「{name}」。", "ok")
        except ValueError as error:
            flash(str(error), "error")
        return redirect(url_for("dashboard.garbage"))
    query = request.args.get("q", "").replace("\x00", "").strip()  # PostgreSQL cannot compare NUL
    items = db.session.execute(select(GarbageItem).where(GarbageItem.name.contains(query)).limit(50)).scalars().all() if query else []
    return render_template("dashboard/garbage.html", items=items, q=query, unknown=garbage_data.top_unknown(db.session, 30),
                           categories=garbage_data.CATEGORIES)


@bp.route("/manage/supervisors", methods=["GET", "POST"])
@admin_only
def supervisors():
    if request.method == "POST":
        if request.form.get("disable"):
            wanted = request.form["disable"]
            row = db.session.get(Supervisor, int(wanted)) if re.fullmatch(r"[0-9]{1,9}", wanted) else None
            if row:
                row.active = False
                db.session.commit()
        elif request.form.get("name", "").strip():
            try:
                row = invite(db.session, request.form["name"].strip(), request.form.get("phone", "").strip() or None)
                flash(f"邀请码：{row.invite_code}（监督员发送「绑定 {row.invite_code}」完成绑定）", "ok")
            except ValueError as error:
                flash(str(error), "error")
        return redirect(url_for("dashboard.supervisors"))
    rows = db.session.execute(select(Supervisor).order_by(Supervisor.points.desc())).scalars().all()
    return render_template("dashboard/supervisors.html", rows=rows)


@bp.route("/manage/categories", methods=["GET", "POST"])
@admin_only
def categories():
    if request.method == "POST":
        row = db.session.get(Category, request.form.get("code", ""))
        try:
            sla_hours, radius = int(request.form["sla_hours"]), int(request.form["radius"])
            if not (1 <= sla_hours <= MAX_SLA_HOURS and 0 <= radius <= MAX_RADIUS_M):
                raise ValueError
            row.sla_hours, row.duplicate_radius_m = sla_hours, radius
            db.session.commit()
            flash(f"已更新「{row.name}」。", "ok")
        except (AttributeError, KeyError, ValueError):
            flash(f"请填写整数：时限 1–{MAX_SLA_HOURS}，半径 0–{MAX_RADIUS_M}。", "error")
        return redirect(url_for("dashboard.categories"))
    rows = db.session.execute(select(Category).order_by(Category.code)).scalars().all()
    staff_words = db.session.execute(select(StaffKeyword).order_by(StaffKeyword.category_code, StaffKeyword.keyword)).scalars().all()
    shipped = {}
    reader = current_app.extensions["understanding"]
    reader.refresh(db.session)
    for word, claims in reader.base.shipped_category_words.items():
        for code, weight in claims:
            shipped.setdefault(code, []).append((word, weight))
    trial = request.args.get("try", "").strip()[:300]
    return render_template("dashboard/categories.html", rows=rows, staff_words=staff_words, shipped=shipped,
                           trial=trial, result=nlp.as_json(reader.understand(trial)) if trial else None,
                           names={c.code: c.name for c in rows})


@bp.post("/manage/categories/keywords")
@admin_only
def add_keyword():
    names = {c.code: c.name for c in db.session.execute(select(Category)).scalars()}
    try:
        reader = current_app.extensions["understanding"]
        keyword = reader.check(request.form.get("keyword", ""), request.form.get("category", ""), names)
        weight = float(request.form.get("weight") or 3)
        if not 1 <= weight <= 5:
            raise KeywordError("权重请填 1–5。")
        row = db.session.execute(select(StaffKeyword).filter_by(keyword=keyword)).scalar_one_or_none()
        if row is None:
            db.session.add(StaffKeyword(keyword=keyword, category_code=request.form["category"], weight=weight,
                                        added_by=current_user.username))
        else:
            row.category_code, row.weight, row.added_by = request.form["category"], weight, current_user.username
        db.session.commit()
        reader.changed(db.session)
        flash(f"已加入关键词「{keyword}」→ {names[request.form['category']]}，几秒内对所有消息生效。", "ok")
    except ValueError as error:  # KeywordError, or a weight that is not a number
        flash(str(error) if isinstance(error, KeywordError) else "权重请填 1–5。", "error")
    return redirect(url_for("dashboard.categories") + "#keywords")


@bp.post("/manage/categories/keywords/<int:keyword_id>/delete")
@admin_only
def delete_keyword(keyword_id):
    row = db.session.get(StaffKeyword, keyword_id) or abort(404)
    db.session.delete(row)
    db.session.commit()
    current_app.extensions["understanding"].changed(db.session)
    flash(f"已删除关键词「{row.keyword}」。", "ok")
    return redirect(url_for("dashboard.categories") + "#keywords")


@bp.route("/manage/parking", methods=["GET", "POST"])
@admin_only
def parking():
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            rows = parking_data.read_csv(upload.read().decode("utf-8-sig") if upload else "")
            added, updated = parking_data.import_rows(db.session, rows, search=current_app.extensions["parking"])
            flash(f"导入 {len(rows)} 个停车场：新增 {added}，更新 {updated}。", "ok")
        except parking_data.ImportError_ as error:
            flash("未导入任何数据：" + "；".join(f"第 {n} 行 {m}" for n, m in error.problems[:10]), "error")
        except UnicodeDecodeError:
            flash("文件需为 UTF-8 编码的 CSV。", "error")
        return redirect(url_for("dashboard.parking"))
    rows = db.session.execute(select(ParkingLot).order_by(ParkingLot.name)).scalars().all()
    return render_template("dashboard/parking.html", rows=rows)


@bp.post("/manage/parking/<int:lot_id>")
@admin_only
def edit_lot(lot_id):
    """Change one lot's spaces, schedule (checked against the grammar), fee and phone."""
    lot = db.session.get(ParkingLot, lot_id)
    if lot is None:
        abort(404)
    try:
        spaces = int(request.form.get("spaces", ""))
        schedule = parking_data.checked_schedule(request.form.get("schedule", ""))
        if not 0 <= spaces <= parking_data.MAX_SPACES:
            raise ValueError(f"车位数需在 0–{parking_data.MAX_SPACES} 之间")
    except ValueError as error:  # ScheduleError included
        flash(f"未保存「{lot.name}」：{error}", "error")
        return redirect(url_for("dashboard.parking"))
    lot.spaces, lot.schedule = spaces, schedule
    lot.fee, lot.phone = request.form.get("fee", "").strip()[:200], request.form.get("phone", "").strip()[:40]
    db.session.commit()
    flash(f"已保存「{lot.name}」。", "ok")
    return redirect(url_for("dashboard.parking"))
