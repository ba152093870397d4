"""A local LanguageTool server from Maven Central: fetched once, started on 127.0.0.1.

``cleanup grammar serve`` (and ``./dev``, and the tests) fetch LanguageTool's HTTP server
and its language modules with Maven (``mvn dependency:copy-dependencies`` on a small pom
written beside the jars) into ``$XDG_CACHE_HOME/cleanup/languagetool-VERSION/lib``, then
run it with Java on a free port of 127.0.0.1 and wait until it answers. A LanguageTool
folder of the user's (an unzipped download from languagetool.org) serves as well.

While ``cleanup grammar serve`` runs, its URL is kept in a state file
(``$XDG_CACHE_HOME/cleanup/languagetool/server.json``); ``cleanup fix --grammar`` with no
``--languagetool-url`` uses that server, so a corpus run does not start Java itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import click

from cleanup.errors import CleanupError

LANGUAGETOOL_VERSION = "6.8"  # pinned; runs on Java 17
MAIN_CLASS = "org.languagetool.server.HTTPServer"
HOST = "127.0.0.1"
START_TIMEOUT = 180.0  # seconds; a cold start takes about 10
FETCHED_MARK = ".fetched"
# Where the URL of the server `cleanup grammar serve` started is kept while it runs.
STATE_NAME = "server.json"
UNAVAILABLE_ENV = "CLEANUP_LANGUAGETOOL_UNAVAILABLE"

POM = """\
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by cleanup: LanguageTool's HTTP server and language modules, copied with
     dependency:copy-dependencies; nothing is built. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>cleanup.tools</groupId>
  <artifactId>languagetool-server-en</artifactId>
  <version>{version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.languagetool</groupId>
      <artifactId>languagetool-server</artifactId>
      <version>{version}</version>
    </dependency>
    <dependency>
      <groupId>org.languagetool</groupId>
      <artifactId>language-en</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""


class ServerError(CleanupError):
    """LanguageTool cannot be fetched or started; the message says why, in one line."""


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/cleanup``, else ``~/.cache/cleanup``."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "cleanup"


def home(version: str = LANGUAGETOOL_VERSION) -> Path:
    """The folder the jars of ``version`` are fetched into."""
    return cache_root() / f"languagetool-{version}"


def state_path() -> Path:
    return cache_root() / "languagetool" / STATE_NAME


def missing_tools(*, fetch: bool = True) -> str | None:
    """Why LanguageTool cannot be fetched and run here (None: it can)."""
    if shutil.which("java") is None:
        return "Java is not installed (no 'java' on PATH); LanguageTool needs Java 17 or newer"
    if fetch and shutil.which("mvn") is None and fetched() is None:
        return "Maven is not installed (no 'mvn' on PATH), so LanguageTool cannot be fetched"
    return None


def fetched(version: str = LANGUAGETOOL_VERSION) -> Path | None:
    """The lib folder of an earlier, complete fetch of ``version``."""
    lib = home(version) / "lib"
    return lib if (home(version) / FETCHED_MARK).is_file() else None


def fetch(version: str = LANGUAGETOOL_VERSION, *, quiet: bool = True) -> Path:
    """LanguageTool's jars from Maven Central (through ~/.m2), once; their folder."""
    done = fetched(version)
    if done is not None:
        return done
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError(
            "Maven is not installed (no 'mvn' on PATH), so LanguageTool cannot be fetched; "
            "install Maven, or give --languagetool DIR of a LanguageTool download"
        )
    folder = home(version)
    folder.mkdir(parents=True, exist_ok=True)
    pom = folder / "pom.xml"
    pom.write_text(POM.format(version=version), encoding="utf-8")
    partial = Path(tempfile.mkdtemp(prefix="lib-", dir=folder))
    cmd = [mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies"]
    cmd += [f"-DoutputDirectory={partial}", "-DincludeScope=runtime"]
    if not quiet:
        click.echo(f"fetching LanguageTool {version} from Maven Central into {folder}", err=True)
    done_proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done_proc.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        output = (done_proc.stdout or "") + (done_proc.stderr or "")
        errors = [line for line in output.splitlines() if "ERROR" in line]
        why = errors[0].replace("[ERROR]", "").strip() if errors else f"exit {done_proc.returncode}"
        raise ServerError(f"LanguageTool {version} could not be fetched with Maven: {why}")
    lib = folder / "lib"
    if lib.exists():
        shutil.rmtree(lib)
    partial.rename(lib)
    (folder / FETCHED_MARK).write_text(version + "\n", encoding="utf-8")
    return lib


def classpath(folder: Path) -> str:
    """Java's class path for a LanguageTool folder: a download (languagetool-server.jar
    beside libs/), or a folder of jars (a fetch's lib/, or the folder above it)."""
    if (folder / "languagetool-server.jar").is_file():
        return str(folder / "languagetool-server.jar")  # its manifest names libs/
    for jars in (folder, folder / "lib"):
        if any(jars.glob("languagetool-server*.jar")):
            return str(jars / "*")
    raise ServerError(f"{folder} holds no LanguageTool server (no languagetool-server*.jar)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def answers(url: str, timeout: float = 2.0) -> str | None:
    """The version a LanguageTool server at ``url`` reports, None when it does not answer."""
    import urllib.request  # here only: importing it costs every run's start-up

    query = "v2/check?language=en-US&text=Ready."
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/" + query, timeout=timeout) as r:
            software = json.load(r).get("software", {})
    except (OSError, ValueError, AttributeError):
        return None
    return str(software.get("version", "")) or "?"


class LocalServer:
    """LanguageTool's HTTP server as a child process on 127.0.0.1."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        port: int | None = None,
        threads: int | None = None,
        java_options: Sequence[str] = (),
        log: Path | None = None,
        detach: bool = False,
    ) -> None:
        if shutil.which("java") is None:
            raise ServerError(
                "Java is not installed (no 'java' on PATH); LanguageTool needs Java 17 or newer"
            )
        self.folder = folder if folder is not None else fetch()
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.version = ""
        workdir = Path(tempfile.mkdtemp(prefix="cleanup-languagetool-"))
        self._workdir = workdir
        config = workdir / "server.properties"
        config.write_text(
            f"maxCheckThreads={self.threads}\nmaxTextLength=200000\ncacheSize=1000\n",
            encoding="utf-8",
        )
        self.log = log or workdir / "server.log"
        cmd = ["java", *java_options, "-cp", classpath(self.folder), MAIN_CLASS]
        cmd += ["--port", str(self.port), "--config", str(config)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                cmd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=detach,  # a detached server outlives this process group
            )

    def wait(self, timeout: float = START_TIMEOUT) -> LocalServer:
        """Until the server answers a check; ServerError when it exits or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"LanguageTool exited with status {self.process.returncode} on start: "
                    f"{self._last_log_line()}"
                )
            version = answers(self.url, timeout=5)
            if version is not None:
                self.version = version
                return self
            time.sleep(0.25)
        self.stop()
        raise ServerError(f"LanguageTool did not answer at {self.url} within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> LocalServer:
        return self.wait()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _last_log_line(self) -> str:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        useful = [line for line in lines if line.strip() and not line.startswith("\t")]
        return useful[-1].strip()[:200] if useful else "(no output)"


# -- the state file: how `cleanup fix --grammar` finds the server `grammar serve` runs ----
def write_state(server: LocalServer, path: Path | None = None) -> Path:
    path = path or state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"url": server.url, "pid": server.process.pid, "version": server.version}
    data["owner"] = os.getpid()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def read_state(path: Path | None = None) -> dict[str, object] | None:
    try:
        data = json.loads((path or state_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("url"), str) else None


def running_url(path: Path | None = None) -> str | None:
    """The URL of the server `cleanup grammar serve` started, if it still runs."""
    data = read_state(path)
    if data is None:
        return None
    pid = data.get("pid")
    if isinstance(pid, int):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
    url = str(data["url"])
    return url if answers(url) is not None else None


def _remove_state(path: Path, pid: int) -> None:
    data = read_state(path)
    if data is not None and data.get("pid") == pid:
        with contextlib.suppress(OSError):
            path.unlink()


# -- the command line: `cleanup grammar ...` ----------------------------------------------
@click.group("grammar")
def grammar() -> None:
    """A local LanguageTool server for `cleanup fix --grammar` (see docs/grammar.md)."""


@grammar.command("serve")
@click.option(
    "--languagetool",
    "folder",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A LanguageTool folder (a download from languagetool.org) instead of the jars "
    f"fetched from Maven Central (LanguageTool {LANGUAGETOOL_VERSION}).",
)
@click.option("--port", type=click.IntRange(1, 65535), help="[default: a free port]")
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    help="Checks the server runs at once [default: the number of cores].",
)
@click.option(
    "--detach",
    is_flag=True,
    help="Print the URL and return; the server runs on (stop it with `cleanup grammar stop`).",
)
@click.option(
    "--anyway",
    is_flag=True,
    help="With COMMAND: when LanguageTool cannot run, run COMMAND without it, with the "
    f"reason in ${UNAVAILABLE_ENV}.",
)
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def serve(
    folder: Path | None,
    port: int | None,
    threads: int | None,
    detach: bool,
    anyway: bool,
    command: tuple[str, ...],
) -> None:
    """Start LanguageTool on 127.0.0.1 and print its URL.

    The server runs until Ctrl-C; with COMMAND (after --) it runs while COMMAND does,
    with CLEANUP_LANGUAGETOOL_URL set for it, and the exit status is COMMAND's.
    `cleanup fix --grammar` finds a server started here by itself.
    """
    try:
        if folder is None and fetched() is None:
            fetch(quiet=False)
        log = state_path().with_name("server.log") if detach else None
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
        server = LocalServer(folder, port=port, threads=threads, log=log, detach=detach)
        server.wait()
    except ServerError as exc:
        if command and anyway:
            click.echo(f"note: running without LanguageTool: {exc}", err=True)
            env = {**os.environ, UNAVAILABLE_ENV: str(exc)}
            sys.exit(subprocess.call(list(command), env=env))
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if command:
        env = {**os.environ, "CLEANUP_LANGUAGETOOL_URL": server.url}
        env.pop(UNAVAILABLE_ENV, None)
        click.echo(f"LanguageTool {server.version} at {server.url}", err=True)
        try:
            status = subprocess.call(list(command), env=env)
        finally:
            server.stop()
        sys.exit(status)
    path = write_state(server)
    click.echo(server.url)
    if detach:
        return
    click.echo(f"LanguageTool {server.version} serving; Ctrl-C stops it", err=True)
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        _remove_state(path, server.process.pid)


@grammar.command("stop")
def stop() -> None:
    """Stop the server `cleanup grammar serve --detach` started."""
    path = state_path()
    data = read_state(path)
    pid = data.get("pid") if data else None
    if not isinstance(pid, int):
        click.echo("no LanguageTool server is running", err=True)
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    _remove_state(path, pid)
    click.echo(f"stopped LanguageTool at {data['url'] if data else '?'}", err=True)


@grammar.command("url")
def url() -> None:
    """Print the URL of the running server (exit 1 when none runs)."""
    found = running_url()
    if found is None:
        click.echo("no LanguageTool server is running", err=True)
        sys.exit(1)
    click.echo(found)
