# roleplay-api image: gunicorn with gunicorn.conf.py on :8000; nginx runs in front of it.
# Build: docker build -t roleplay-api .   (not built in this project's CI: no Docker engine)
# Release step (once per release, before rolling the instances):
#   docker run --rm --env-file prod.env roleplay-api flask db upgrade
#   docker run --rm --env-file prod.env roleplay-api flask scenarios seed
# Serve:
#   docker run --env-file prod.env -p 127.0.0.1:8000:8000 roleplay-api

# --- build: a virtualenv with the pinned dependencies --------------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY roleplay_api ./roleplay_api
# Install the project for its dependencies, then remove the package itself: the code runs from
# /app, where the app finds migrations/ next to its package (as in a checkout).
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install -c constraints.txt . \
 && /opt/venv/bin/pip uninstall -y roleplay-api

# --- runtime: the virtualenv, the entry points, no compilers, not root ----------------------
FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FLASK_APP=wsgi \
    APP_ENV=production \
    GUNICORN_BIND=0.0.0.0:8000 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/roleplay-api-metrics
RUN groupadd --system --gid 10001 roleplay \
 && useradd --system --uid 10001 --gid roleplay --home-dir /app --shell /usr/sbin/nologin roleplay
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY wsgi.py gunicorn.conf.py ./
COPY migrations ./migrations
COPY roleplay_api ./roleplay_api
RUN mkdir -p /app/instance && chown roleplay:roleplay /app/instance
USER roleplay:roleplay
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
# exec form: gunicorn's master is PID 1 and gets `docker stop`'s SIGTERM itself.
STOPSIGNAL SIGTERM
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
