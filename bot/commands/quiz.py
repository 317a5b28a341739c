"""`flask --app bot quiz …`: schools, their QR codes, results for teachers."""

import csv

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from bot.extensions import db
from bot.models import QuizRound, School, User
from bot.outbound import wechat_api
from nlp import places

quiz = AppGroup("quiz", help="Garbage-sorting quiz for schools.")
school = AppGroup("school", help="Schools taking part.")
quiz.add_command(school)
HEADER = ["学校代码", "班级", "姓名", "日期", "得分", "题数", "用时（秒）", "计入排名", "学校", "街道/镇"]


def _town(name):
    """The 街道/镇 of 江津区 by its name or short name (几江 -> 几江街道), else an error."""
    name = name.strip()
    found = places.find(name) if name in places.names() else []
    place = found[0] if len(found) == 1 else None
    if place is None or place.kind != "town":
        district = current_app.config["DISTRICT"]["name"]
        raise click.BadParameter(f"{name} is not a 街道/镇 of {district}", param_hint="--district")
    return place.name


@school.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--district", default=None, help="the 街道/镇 it is in, e.g. 几江街道 or 几江")
def school_add(code, name, district):
    """Register a school, or rename it (students join with its QR code or `加入学校 CODE`)."""
    row = db.session.get(School, code.upper()) or School(code=code.upper())
    row.name = name
    row.district = _town(district) if district else row.district
    db.session.add(row)
    db.session.commit()
    click.echo(f"{row.code}\t{row.name}\t{row.district or ''}")


@school.command("list")
def school_list():
    """Schools with how many students joined each."""
    for row in db.session.execute(select(School).order_by(School.code)).scalars():
        students = db.session.query(User).filter_by(school_code=row.code).count()
        click.echo(f"{row.code}\t{row.name}\t{row.district or ''}\t{students} 名学生")


@quiz.command("qrcode")
@click.argument("code")
def qrcode_command(code):
    """A permanent QR code for a school (scene school:CODE), made through WeChat's API."""
    row = db.session.get(School, code.upper())
    if row is None:
        raise click.ClickException(f"no school {code}; add it with `quiz school add`")
    try:
        result = wechat_api.create_qrcode(current_app.config, current_app.extensions["redis"], f"school:{row.code}")
    except wechat_api.WeChatAPIError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{row.name}\tschool:{row.code}\t{result['url']}\t{result['image_url']}")


@quiz.command("export")
@click.option("--school", "school_code", default=None)
@click.option("--class", "class_name", default=None)
@click.option("--out", "path", required=True, type=click.Path(dir_okay=False))
def export_command(school_code, class_name, path):
    """Finished rounds as CSV for teachers (one row per round; UTF-8 with BOM for Excel)."""
    query = (select(QuizRound, User, School).join(User, User.id == QuizRound.user_id)
             .outerjoin(School, School.code == QuizRound.school_code).where(QuizRound.finished_at.is_not(None)))
    if school_code:
        query = query.where(QuizRound.school_code == school_code.upper())
    if class_name:
        query = query.where(QuizRound.class_name == class_name)
    rows = db.session.execute(query.order_by(QuizRound.finished_at)).all()
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for r, user, sch in rows:
            writer.writerow([_cell(v) for v in (
                r.school_code, r.class_name, user.display_name, r.day, r.score, r.total, r.duration_s,
                "是" if r.counts else "否", sch.name if sch else None, sch.district if sch else None)])
    click.echo(f"{len(rows)} rounds written to {path}")


def _cell(value):
    """Spreadsheet formula injection: a cell starting with = + - @ is made plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


COMMANDS = [quiz]
