"""The production web server configuration (`gunicorn -c python:civic311.gunicorn_conf`), used
by `manage.py serve`, the benchmarks and deployments alike."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
# Requests are short; a slow client must not hold a worker for long.
timeout = 30
graceful_timeout = 5
keepalive = 5
# Recycle workers now and then (a slow leak must not grow forever), but rarely: a restart
# costs a Django start-up, and at thousands of requests a second a low limit shows in p99.
max_requests = 100_000
max_requests_jitter = 10_000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# The path without its query string: API keys sent as ?api_key= must never reach a log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
