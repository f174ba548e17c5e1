"""``tickerwire securities``: look a company up in the security master."""

from __future__ import annotations

from typing import Annotated

import typer

from tickerwire.cli._app import app
from tickerwire.cli._options import JsonOption, emit_json, render, stdout
from tickerwire.errors import NotFoundError


@app.command()
def securities(
    query: Annotated[
        str,
        typer.Argument(
            help="A code in any common form (981 HK, 0981.HK, SH688981, NYSE: BABA) or a name "
            "in English, 简体 or 繁體 (SMIC, 中芯国际, 中芯國際).",
            metavar="CODE_OR_NAME",
        ),
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Most candidates to list when not exact.", min=1)
    ] = 10,
    as_json: JsonOption = False,
) -> None:
    """Resolve a code or name: the issuer, all its listings, names EN/简/繁 and aliases.

    An ambiguous name lists the candidates; a name matching nothing exits 2.
    """
    from tickerwire.refdata.master import load_master

    master = load_master()
    resolution = master.resolve(query)
    candidates = list(resolution.candidates)
    if resolution.status == "unknown":
        candidates = master.search(query, limit=limit)
        if not candidates:
            raise NotFoundError(
                f"no security matches {query!r}: try a listing code (e.g. 0981.HK) or another "
                "spelling of the name"
            )
    if as_json:
        emit_json(
            {
                "query": query,
                "status": "candidates" if resolution.status == "unknown" else resolution.status,
                "issuer": resolution.issuer,
                "candidates": candidates[:limit],
            }
        )
    elif resolution.issuer is not None:
        stdout().print(render.issuer_view(resolution.issuer))
    else:
        stdout().print(
            render.candidates_table(
                query, candidates[:limit], ambiguous=resolution.status == "ambiguous"
            )
        )
