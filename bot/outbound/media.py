"""Download citizens' photos from WeChat into MEDIA_DIR (a job: WeChat keeps temporary media 3 days).

Where photos live: MEDIA_DIR/<ticket number>/<photo id>.jpg, and TicketPhoto.path holds the part
after MEDIA_DIR. To keep them in object storage instead (OSS, COS, S3, MinIO), replace save()
with an upload, e.g. ``boto3.client("s3").put_object(Bucket=..., Key=key, Body=data,
ContentType="image/jpeg")`` with ``key = f"tickets/{number}/{photo.id}.jpg"``, and return the
key: TicketPhoto.path then holds the object key and the dashboard serves a presigned URL for it.
Nothing else needs to change (the job, its retries and the outbox stay as they are).
"""

import logging
from pathlib import Path

import requests
from flask import current_app

from bot.extensions import db
from bot.models import TicketPhoto
from bot.outbound import wechat_api

log = logging.getLogger(__name__)
INVALID_MEDIA_ID = 40007  # expired or unknown MediaId: the PicUrl may still work
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 10


def download_photo(photo_id):
    """Fetch one photo by its MediaId (PicUrl when the MediaId expired) and keep it; RQ retries."""
    photo = db.session.get(TicketPhoto, photo_id)
    if photo is None or photo.path or not (photo.media_id or photo.pic_url):
        return photo.path if photo else None
    photo.path = save(photo, fetch(photo))
    db.session.commit()
    log.info("photo %s of ticket %s stored", photo.id, photo.ticket.number)
    return photo.path


def fetch(photo):
    """The photo's bytes from WeChat's media API, or from its PicUrl as a fallback."""
    if photo.media_id:
        try:
            return wechat_api.download_media(current_app.config, current_app.extensions["redis"], photo.media_id)
        except wechat_api.WeChatAPIError as error:
            if error.errcode != INVALID_MEDIA_ID or not photo.pic_url:
                raise
    response = requests.get(photo.pic_url, timeout=TIMEOUT_SECONDS)
    response.raise_for_status()
    if len(response.content) > MAX_BYTES:
        raise ValueError(f"photo {photo.id} is larger than {MAX_BYTES} bytes")
    return response.content


def save(photo, data):
    """Write the bytes under MEDIA_DIR/<ticket number>/; returns the path relative to MEDIA_DIR."""
    relative = Path(photo.ticket.number) / f"{photo.id}.jpg"
    target = Path(current_app.config["MEDIA_DIR"]) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)  # never a half-written photo under its final name
    return str(relative)
