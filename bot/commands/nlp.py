"""`flask --app bot nlp classify|evaluate`: nlp/ from the command line."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

import nlp
from bot.extensions import db
from nlp import evaluate as evaluation

nlp_group = AppGroup("nlp", help="Understanding of citizens' messages.")


@nlp_group.command("classify")
@click.argument("text", required=False)
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False), help="Classify each line of a file.")
def classify_command(text, path):
    """Print one JSON line {intent, category, department, confidence} per message."""
    if path:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    elif text is not None:
        lines = [text]
    else:
        raise click.UsageError("give TEXT or --file F")
    reader = current_app.extensions["understanding"]
    reader.refresh(db.session)  # staff's keywords too, as the bot reads messages
    for line in lines:
        click.echo(json.dumps(nlp.as_json(reader.understand(line)), ensure_ascii=False))


@nlp_group.command("evaluate")
@click.option("--worst", default=10, show_default=True, help="How many errors to list per set.")
@click.option("--letters/--no-letters", default=True, show_default=True, help="Also score the public letters (slower).")
@click.option("--held-out-errors", is_flag=True,
              help="Also list the held-out sets' errors (reading them turns a set into tuning material).")
def evaluate_command(worst, letters, held_out_errors):
    """Accuracy and confusion on the labelled sets and the letters; errors of the tuned sets only."""
    for report in evaluation.run_all(letters):
        click.echo(evaluation.format_report(report, worst, held_out_errors))


COMMANDS = [nlp_group]
