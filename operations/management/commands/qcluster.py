"""`manage.py qcluster`: django-q2's command, running operations.cluster.LecternCluster.

Same name and options as django-q2's own command (this app comes first in
INSTALLED_APPS, so this one is found first): the Procfile, the systemd units and every
document keep saying `manage.py qcluster`, and get a cluster that stops cleanly when its
whole process group or cgroup is signalled.
"""

import logging
import os
import sys

from django.conf import settings

from django_q.management.commands.qcluster import Command as DjangoQCommand

from operations.cluster import LecternCluster


class Command(DjangoQCommand):
    def handle(self, *args, **options):
        settings.SECRET_KEY  # noqa: B018 - fail before starting without a signing key
        if options.get("cluster_name"):
            os.environ["Q_CLUSTER_NAME"] = options["cluster_name"]
        cluster = LecternCluster()
        cluster.start()
        if options.get("run_once"):
            cluster.stop()
        # Wait here (a TERM or INT runs the stop in between), then leave at once: tearing
        # down the interpreter of a process this size takes seconds on a busy machine,
        # and there is nothing left to clean up once the sentinel has stopped.
        cluster.sentinel.join()
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0 if cluster.sentinel.exitcode == 0 else 1)  # a crashed sentinel is a failure
