"""`narratives serve`: the API under uvicorn, over the configured store."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from cli.context import AppContext


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        ctx: typer.Context,
        host: Annotated[str | None, typer.Option(help="Address to listen on (NARRATIVES_HOST).")] = None,
        port: Annotated[int | None, typer.Option(help="Port to listen on (NARRATIVES_PORT).")] = None,
        reload: Annotated[bool, typer.Option(help="Restart when the code changes (development).")] = False,
    ) -> None:
        """Serve the API (and the explorer) over the configured store."""
        import uvicorn

        from api.app import create_app

        context: AppContext = ctx.obj
        settings = context.settings
        bind_host = host or settings.host
        bind_port = port if port is not None else settings.port
        typer.echo(f"serving the {settings.store} store on http://{bind_host}:{bind_port} (docs at /docs)")
        if reload:
            # A reloading server imports the app anew in a child process: it rebuilds the settings from
            # the environment, so the command-line choices travel there.
            os.environ["NARRATIVES_STORE"] = settings.store
            os.environ["NARRATIVES_DATA_DIR"] = str(settings.data_dir)
            uvicorn.run("api.app:create_app", factory=True, host=bind_host, port=bind_port, reload=True)
        else:
            uvicorn.run(create_app(settings), host=bind_host, port=bind_port)
