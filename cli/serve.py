"""`narratives serve`: the API under uvicorn, over the configured store."""

from __future__ import annotations

import os
import socket
from typing import Annotated

import typer

from cli.context import AppContext

APP = "api.app:create_app"


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        ctx: typer.Context,
        host: Annotated[str | None, typer.Option(help="Address to listen on (NARRATIVES_HOST).")] = None,
        port: Annotated[int | None, typer.Option(help="Port to listen on (NARRATIVES_PORT).")] = None,
        reload: Annotated[bool, typer.Option(help="Restart when the code changes (development).")] = False,
        workers: Annotated[
            int | None,
            typer.Option(
                min=1,
                help="Server processes (NARRATIVES_WORKERS): one per core answers more requests at once "
                "(each keeps its own copy of the embedded graph and re-reads it when another process "
                "changed it).",
            ),
        ] = None,
        access_log: Annotated[bool, typer.Option(help="Log every request.")] = True,
    ) -> None:
        """Serve the API (and the explorer) over the configured store."""
        import uvicorn

        from api.app import create_app

        context: AppContext = ctx.obj
        settings = context.settings
        bind_host = host or settings.host
        bind_port = port if port is not None else settings.port
        processes = workers if workers is not None else settings.workers
        typer.echo(f"serving the {settings.store} store on http://{bind_host}:{bind_port} (docs at /docs)")
        if reload or processes > 1:
            # A reloading server and each worker import the app anew in a child process: they rebuild
            # the settings from the environment, so the command-line choices travel there.
            os.environ["NARRATIVES_STORE"] = settings.store
            os.environ["NARRATIVES_DATA_DIR"] = str(settings.data_dir)
        if reload:
            uvicorn.run(APP, factory=True, host=bind_host, port=bind_port, reload=True, access_log=access_log)
        elif processes > 1:
            _run_workers(bind_host, bind_port, processes, access_log)
        else:
            uvicorn.run(create_app(settings), host=bind_host, port=bind_port, access_log=access_log)


def _run_workers(host: str, port: int, workers: int, access_log: bool) -> None:
    """`uvicorn.run(..., workers=n)`, but with Nagle's algorithm off on every connection.

    uvicorn binds the shared listening socket with `proto` 0; accepted sockets inherit it, and asyncio
    only sets TCP_NODELAY on sockets that say IPPROTO_TCP, so every keep-alive response after the
    first waited ~40 ms for the client's delayed ACK (uvicorn issue #3149). Same socket, right proto.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(APP, factory=True, host=host, port=port, workers=workers, access_log=access_log)
    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto != socket.IPPROTO_TCP:
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()
