"""Local chat simulator (/simulator): placeholder until the simulator lands."""

from flask import Blueprint

bp = Blueprint("simulator", __name__)
