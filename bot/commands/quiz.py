"""`flask --app bot quiz …`: schools, their QR codes, results for teachers."""

import csv

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from bot import wechat_api
from bot.extensions import db
from bot.models import QuizRound, School, User

quiz = AppGroup("quiz", help="Garbage-sorting quiz for schools.")
school = AppGroup("school", help="Schools taking part.")
quiz.add_command(school)


@school.command("add")
@click.argument("code")
@click.argument("name")
def school_add(code, name):
    """Register a school (students join with its QR code or `加入学校 CODE`)."""
    db.session.merge(School(code=code.upper(), name=name))
    db.session.commit()
    click.echo(f"{code.upper()}\t{name}")


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
    click.echo(f"{row.name}\t{result['url']}\t{result['image_url']}")


@quiz.command("export")
@click.option("--school", "school_code", default=None)
@click.option("--class", "class_name", default=None)
@click.option("--out", "path", required=True, type=click.Path(dir_okay=False))
def export_command(school_code, class_name, path):
    """Finished rounds as CSV for teachers (one row per round)."""
    query = select(QuizRound, User).join(User, User.id == QuizRound.user_id).where(QuizRound.finished_at.is_not(None))
    if school_code:
        query = query.where(QuizRound.school_code == school_code.upper())
    if class_name:
        query = query.where(QuizRound.class_name == class_name)
    rows = db.session.execute(query.order_by(QuizRound.finished_at)).all()
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["学校", "班级", "姓名", "日期", "得分", "题数", "用时（秒）", "计入排名"])
        for r, user in rows:
            writer.writerow([r.school_code or "", r.class_name or "", user.display_name or "", r.day, r.score, r.total,
                             r.duration_s, "是" if r.counts else "否"])
    click.echo(f"{len(rows)} rounds written to {path}")


COMMANDS = [quiz]
