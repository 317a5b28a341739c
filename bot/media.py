"""Download citizens' photos from WeChat (temporary media expire after 3 days) into MEDIA_DIR.

Local disk by default. For object storage, replace save() with an upload (e.g. boto3's
put_object to an S3-compatible bucket) and store the object key in TicketPhoto.path.
"""

import logging
from pathlib import Path

from flask import current_app

from bot import wechat_api
from bot.extensions import db
from bot.models import TicketPhoto

log = logging.getLogger(__name__)


def download_photo(photo_id):
    """Fetch one photo by its MediaId and keep it; retried by RQ on failure."""
    photo = db.session.get(TicketPhoto, photo_id)
    if photo is None or photo.path or not photo.media_id:
        return photo.path if photo else None
    data = wechat_api.download_media(current_app.config, current_app.extensions["redis"], photo.media_id)
    photo.path = save(photo, data)
    db.session.commit()
    return photo.path


def save(photo, data):
    """Write the bytes under MEDIA_DIR/<ticket number>/; returns the relative path."""
    relative = Path(photo.ticket.number) / f"{photo.id}.jpg"
    target = Path(current_app.config["MEDIA_DIR"]) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return str(relative)
