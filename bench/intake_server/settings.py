"""The bench's server: Kiber's settings with the floor endpoint mounted (never part of Kiber itself)."""

from kiber.settings import *  # noqa: F403

ROOT_URLCONF = "intake_server.urls"
