"""Corpus mode on real parallel machinery: a 2-worker distributed.LocalCluster, a local process pool, and
a run killed with SIGKILL half way and resumed."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_corpus_support import make_repo, table

from policydiff.corpus.partitions import read_table
from policydiff.corpus.run import run_corpus

TABLES = ("pairs", "findings", "changes")
pytestmark = pytest.mark.slow


@pytest.fixture
def repo(corpus: Path, tmp_path: Path) -> Path:
    return make_repo(tmp_path)


@pytest.fixture
def serial(repo: Path, tmp_path: Path) -> Path:
    out = tmp_path / "serial"
    summary = run_corpus(repo, out, workers=1)
    assert summary.errors == 0 and summary.compared == 8
    return out


def test_local_cluster_writes_the_same_tables_as_a_serial_run(
    repo: Path, serial: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cluster"
    summary = run_corpus(repo, out, scheduler="local", workers=2, chunk=2)
    assert summary.workers == 2 and summary.compared == 8
    assert len(list((out / "pairs").glob("*.parquet"))) == 6  # tasks of up to two pairs, a partition each
    for name in TABLES:
        assert table(out, name).equals(table(serial, name)), name


def test_local_processes_write_the_same_tables_as_a_serial_run(
    repo: Path, serial: Path, tmp_path: Path
) -> None:
    out = tmp_path / "processes"
    summary = run_corpus(repo, out, workers=2, chunk=3)
    assert summary.workers == 2 and summary.compared == 8
    for name in TABLES:
        assert table(out, name).equals(table(serial, name)), name


def test_a_run_killed_half_way_resumes_without_duplicates(repo: Path, serial: Path, tmp_path: Path) -> None:
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "policydiff", "corpus", str(repo), str(out)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    proc = subprocess.Popen([*command, "--workers", "1", "--chunk", "1"], **quiet, start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while len(list((out / "pairs").glob("part-*.parquet"))) < 4:
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no progress within 120 s"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    written = len(list((out / "pairs").glob("part-*.parquet")))
    assert 4 <= written < 10, "killed half way"
    resumed = subprocess.run([*command, "--workers", "2"], capture_output=True, text=True, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{written} already done" in resumed.stdout
    pairs = read_table(out, "pairs").to_pylist()
    assert len(pairs) == len({row["pair_id"] for row in pairs}) == 10
    for name in TABLES:
        assert table(out, name).equals(table(serial, name)), name


def test_an_unreachable_scheduler_is_one_error(repo: Path, tmp_path: Path) -> None:
    from policydiff.errors import InputError

    with pytest.raises(InputError, match=re.escape("cannot reach the Dask scheduler at tcp://127.0.0.1:9")):
        run_corpus(repo, tmp_path / "out", scheduler="tcp://127.0.0.1:9", workers=1)


def test_a_dead_worker_leaves_its_pairs_for_the_next_run(repo: Path, serial: Path, tmp_path: Path) -> None:
    import psutil

    out = tmp_path / "dead-worker"
    command = [sys.executable, "-m", "policydiff", "corpus", str(repo), str(out)]
    proc = subprocess.Popen(
        [*command, "--workers", "2", "--chunk", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    killed = None
    while killed is None:
        assert proc.poll() is None, "the run ended before a worker could be killed"
        assert time.monotonic() < deadline, "no pool worker found within 120 s"
        try:
            servers = [
                p for p in psutil.Process(proc.pid).children() if "forkserver" in " ".join(p.cmdline())
            ]
            workers = [child for server in servers for child in server.children()]
        except psutil.NoSuchProcess:  # a process ended while we listed it (pool workers come and go)
            workers = []
        if workers and list((out / "pairs").glob("part-*.parquet")):
            killed = workers[0]
            killed.send_signal(signal.SIGKILL)
        time.sleep(0.02)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr
    assert "their task failed" in stderr and "left for the next run" in stdout
    again = subprocess.run([*command, "--workers", "1"], capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    for name in TABLES:
        assert table(out, name).equals(table(serial, name)), name


def test_a_scheduler_started_apart_runs_the_same_job(repo: Path, serial: Path, tmp_path: Path) -> None:
    """The documented cluster set-up, on 127.0.0.1: `dask scheduler` and `dask worker` processes."""
    import json

    dask = Path(sys.executable).with_name("dask")
    if not dask.exists():
        pytest.skip(f"the dask command is not installed beside {sys.executable}")
    info = tmp_path / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen(
        [str(dask), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(info)], **quiet,
    )  # fmt: skip
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text().strip():
            assert time.monotonic() < deadline and scheduler.poll() is None, "the scheduler did not start"
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        worker = subprocess.Popen(
            [str(dask), "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"], **quiet
        )
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        out = tmp_path / "remote"
        summary = run_corpus(repo, out, scheduler=address, workers=1, chunk=3)
        assert summary.workers == 2 and summary.compared == 8
        for name in TABLES:
            assert table(out, name).equals(table(serial, name)), name
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
