FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev
COPY pyproject.toml ./
COPY bott_tracker ./bott_tracker
COPY issues ./issues
COPY priorities ./priorities
RUN pip install --no-cache-dir .
COPY . .
RUN pybabel compile -d locale -D django \
    && DEBUG=true python manage.py collectstatic --noinput
RUN useradd --system --home /app bott && mkdir -p /app/var/media && chown -R bott /app/var
USER bott
EXPOSE 8000
# gthread: a worker's heartbeat goes on while a thread streams a response (a sync worker is killed
# after --timeout mid-stream). Exports above issues.services.exports.SYNC_MAX_ROWS are Celery jobs.
CMD ["gunicorn", "bott_tracker.wsgi", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", \
     "--workers", "3", "--threads", "2", "--timeout", "60"]
