# The narrative-graph API image: the package and its runtime dependencies, nothing else.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY loaders ./loaders
COPY api ./api
COPY visualisations ./visualisations
COPY cli ./cli
COPY demo ./demo
RUN pip install .
RUN useradd --create-home narratives
USER narratives
EXPOSE 8000
CMD ["narratives", "serve"]
