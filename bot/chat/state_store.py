"""The database as the fallback store for conversation state while Redis is down."""

import logging
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError

from bot.config import utcnow
from bot.models.reports import StateRecord

log = logging.getLogger(__name__)


class DatabaseStateStore:
    """get/set/delete of JSON records with an expiry, in the conversation_states table."""

    def __init__(self, session):
        self.session = session

    def get(self, key):
        try:
            row = self.session.get(StateRecord, key)
        except SQLAlchemyError:
            self.session.rollback()
            return None
        if row is None or row.expires_at < utcnow():
            return None
        return row.record

    def set(self, key, record, ttl):
        try:
            row = self.session.get(StateRecord, key) or StateRecord(key=key)
            row.record, row.expires_at = record, utcnow() + timedelta(seconds=ttl)
            self.session.add(row)
            self.session.commit()
        except SQLAlchemyError:
            log.exception("conversation state not kept anywhere")
            self.session.rollback()

    def delete(self, key):
        try:
            self.session.execute(delete(StateRecord).where(StateRecord.key == key))
            self.session.commit()
        except SQLAlchemyError:
            self.session.rollback()

    def purge_expired(self):
        """Remove expired records (housekeeping; expired ones are ignored anyway)."""
        self.session.execute(delete(StateRecord).where(StateRecord.expires_at < utcnow()))
        self.session.commit()
