# TrustDesk app image: FastAPI + Chainlit on CPU; generation on a vLLM server or the embedded extractive backend.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False \
    TRUSTDESK_DATA__STATE_DIR=/srv/var \
    TRUSTDESK_DATA__STORE_DIR=/srv/data/store \
    TRUSTDESK_SERVER__HOST=0.0.0.0

RUN pip install --no-cache-dir uv && useradd --create-home --uid 10001 trustdesk
WORKDIR /app

COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app ./app
COPY rag ./rag
COPY evals ./evals
COPY prompts ./prompts
COPY .chainlit ./.chainlit
COPY public ./public
COPY chainlit.md alembic.ini ./
RUN uv sync --frozen --no-dev && mkdir -p /srv/var /srv/data && chown -R trustdesk /srv /app

USER trustdesk
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status==200 else 1)"
# On start: fetch the demo store (sha256-checked), build the ONNX query encoder, ingest incrementally, serve.
CMD ["sh", "-c", ".venv/bin/python -m rag.demo_data --target /srv/data/store && .venv/bin/python -m app.cli build-encoder && .venv/bin/python -m app.cli ingest && .venv/bin/python -m app.cli serve"]
