"""Talking to WeChat's servers and slow work: the API client, the job queue, dead letters, media downloads."""
