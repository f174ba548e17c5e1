"""Runs ``tickerwire`` commands, each in a process just like a fresh one, without starting an
interpreter per command (``tests/cli/test_lazy_commands.py``).

This script imports what ``tickerwire.cli.main()`` imports before anything else (its first line
is ``from tickerwire.cli._app import app``) and nothing more; then, for every job read from stdin
(one JSON object a line: ``argv``, ``cwd``, ``env`` and the files for ``stdout``, ``stderr`` and
``modules``), it forks a child that runs the command there, and writes one JSON line with the
exit code. The child starts from exactly the state a fresh ``tickerwire`` process reaches after
that import, so ``sys.modules`` after its command is what the command imported. POSIX only
(``os.fork``).
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import traceback
from typing import Any

from tickerwire.cli import main
from tickerwire.cli._app import app  # noqa: F401 - main()'s first import, done once here


def _child(job: dict[str, Any]) -> int:
    """Run one command with the job's directory, environment and output files."""
    os.chdir(job["cwd"])
    os.environ.update(job["env"])
    for fd, path, flags in ((0, os.devnull, os.O_RDONLY),
                            (1, job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                            (2, job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
        opened = os.open(path, flags)
        os.dup2(opened, fd)
        os.close(opened)
    sys.argv = ["tickerwire", *job["argv"]]
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # what an uncaught error does to a fresh process
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    with open(job["modules"], "w", encoding="utf-8") as out:
        json.dump(sorted(sys.modules), out)
    return code


def serve() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 70  # the run itself failed (EX_SOFTWARE)
            try:
                code = _child(job)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    serve()
