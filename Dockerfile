# syntax=docker/dockerfile:1
# Build:   docker build -t vp-registry .
# Migrate: docker run --rm -e VPR_DATABASE_URL=... vp-registry vpr migrate   (a separate step)
# Run:     docker run -p 8000:8000 -e VPR_DATABASE_URL=... -e VPR_SECRET_KEY=... vp-registry

FROM python:3.11.7-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements/runtime.lock /tmp/runtime.lock
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/runtime.lock
WORKDIR /srv/vpr
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY seed ./seed
COPY migrations ./migrations
RUN /opt/venv/bin/pip install --no-deps --no-build-isolation --editable .

FROM python:3.11.7-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    VPR_DATA_DIR=/var/lib/vpr VPR_DATABASE_URL=sqlite:////var/lib/vpr/vpr.sqlite3
RUN useradd --system --uid 10001 --home-dir /srv/vpr vpr \
    && mkdir -p /var/lib/vpr && chown vpr /var/lib/vpr
COPY --from=build /opt/venv /opt/venv
COPY --from=build /srv/vpr /srv/vpr
WORKDIR /srv/vpr
USER vpr
EXPOSE 8000
# Behind a reverse proxy, name it so per-address limits count clients, not the proxy, e.g.
#   docker run -e VPR_TRUSTED_PROXIES=10.0.0.2 -e VPR_WORKERS=2 ... (see README, "Deployment")
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["vpr", "serve", "--host", "0.0.0.0", "--port", "8000"]
