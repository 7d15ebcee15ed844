"""``runserver`` whose listening socket queues a burst of connections.

Django's server listens with a backlog of 10: when 96 clients connect at the same moment, the kernel's
accept queue overflows and clients get "connection reset" before Kiber sees their request
(bench/sqlite_concurrency.py). The operating system's maximum lets them wait for a thread instead.
"""

from __future__ import annotations

import socket

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver
from django.core.servers.basehttp import WSGIServer


class BurstWSGIServer(WSGIServer):
    request_queue_size = socket.SOMAXCONN


class Command(StaticfilesRunserver):
    server_cls = BurstWSGIServer
