"""cleanup on Dask: `cleanup fix --dask` on a real distributed.LocalCluster with two worker
processes writes what a local run writes, byte for byte; the Cleaner maps over dask.bag
and dask.dataframe (JSONL and Parquet shards) as it cleans texts one by one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleanup import builtin_pack_paths, load_rules
from cleanup.cleaner import Cleaner
from tests.cli_helpers import run_cleanup

distributed = pytest.importorskip("distributed")
dask_bag = pytest.importorskip("dask.bag")
dask_dataframe = pytest.importorskip("dask.dataframe")
pytest.importorskip("pyarrow")

SAMPLES = Path(__file__).parent.parent / "samples"


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    import logging

    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster: distributed.LocalCluster) -> Iterator[distributed.Client]:
    with distributed.Client(cluster) as c:
        yield c


def _corpus(root: Path) -> None:
    (root / "in" / "sub").mkdir(parents=True)
    for i, sample in enumerate(sorted(SAMPLES.glob("*.txt"))):
        (root / "in" / ("sub" if i % 2 else ".") / sample.name).write_bytes(sample.read_bytes())
    (root / "in" / "plain.txt").write_text("Nothing to fix here.\n")
    (root / "in" / "bad.txt").write_bytes(b"not \xff text")
    (root / "in" / "empty.txt").write_bytes(b"")
    # Other formats and encodings are cleaned on the workers as a local run cleans them.
    (root / "in" / "rows.jsonl").write_text(
        '{"id": "solar conflict", "text": "The \\"solar conflict\\" is over."}\n'
    )
    (root / "in" / "page.md").write_text("# Three-sided statement\n\n`solar conflict`\n")
    (root / "in" / "utf16.txt").write_bytes("The solar conflict.\n".encode("utf-16"))


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_fix_on_a_cluster_writes_what_a_local_run_writes(
    cluster: distributed.LocalCluster, tmp_path: Path
) -> None:
    _corpus(tmp_path)
    address = cluster.scheduler_address
    common = ["fix", "in", "--format", "json"]
    local = run_cleanup(
        *common, "--out", "local", "--report", "local.html", "-j", "2", cwd=tmp_path
    )
    remote = run_cleanup(
        *common,
        "--out",
        "remote",
        "--report",
        "remote.html",
        "--dask",
        address,
        cwd=tmp_path,
        timeout=300,
    )
    assert remote.returncode == local.returncode == 2  # bad.txt
    assert remote.stderr == local.stderr
    assert b"empty.txt: empty file; skipped" in local.stderr
    assert b"rows.jsonl" in local.stdout and b"utf16.txt" in local.stdout
    assert remote.stdout.replace(b"remote/", b"local/") == local.stdout
    assert _tree(tmp_path / "remote") == _tree(tmp_path / "local")
    assert (tmp_path / "remote" / "cleanup.patch").stat().st_size > 0
    page = (tmp_path / "remote.html").read_bytes()
    assert page == (tmp_path / "local.html").read_bytes()
    diff_local = run_cleanup("fix", "in", "--diff", "--diff-format", "unified", cwd=tmp_path)
    diff_remote = run_cleanup(
        "fix",
        "in",
        "--diff",
        "--diff-format",
        "unified",
        "--dask",
        address,
        cwd=tmp_path,
        timeout=300,
    )
    assert diff_remote.stdout == diff_local.stdout and diff_local.stdout


def test_many_small_files_go_in_batches_and_come_back_in_order(
    cluster: distributed.LocalCluster, tmp_path: Path
) -> None:
    """Small files are sent to the workers in batches (more files than one batch holds
    here, with files that fail and files with nothing to fix among them): the outputs, the
    patch, the JSON and the order of the messages are a local run's."""
    from cleanup.dask_run import BATCH_FILES

    sentences = [
        "The solar conflict ended with a three-sided statement.\n",
        "Nothing to fix in this one.\n",
        "Talks on a lasting world went on in Gadrut.\n",
    ]
    folder = tmp_path / "in"
    folder.mkdir()
    count = 2 * BATCH_FILES + 7
    for i in range(count):
        (folder / f"{i:04}.txt").write_text(sentences[i % 3] * (1 + i % 5))
    (folder / f"{BATCH_FILES + 3:04}.txt").write_bytes(b"not \xff text")
    (folder / f"{BATCH_FILES + 5:04}.txt").write_bytes(b"")
    common = ["fix", "in", "--format", "json"]
    local = run_cleanup(*common, "--out", "local", "-j", "1", cwd=tmp_path)
    remote = run_cleanup(
        *common, "--out", "remote", "--dask", cluster.scheduler_address, cwd=tmp_path, timeout=300
    )
    assert remote.returncode == local.returncode == 2, local.stderr
    assert remote.stderr == local.stderr
    assert remote.stdout.replace(b"remote/", b"local/") == local.stdout
    report = json.loads(local.stdout)
    assert len(report["files"]) == count
    assert _tree(tmp_path / "remote") == _tree(tmp_path / "local")
    assert (tmp_path / "remote" / "cleanup.patch").read_text().count("+++ b/") > BATCH_FILES


def test_fix_in_place_on_a_cluster(cluster: distributed.LocalCluster, tmp_path: Path) -> None:
    _corpus(tmp_path)
    (tmp_path / "in" / "bad.txt").unlink()
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in (tmp_path / "in").rglob("*.*"):
        target = copy / path.relative_to(tmp_path / "in")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    r1 = run_cleanup(
        "fix", "in", "--in-place", "--dask", cluster.scheduler_address, cwd=tmp_path, timeout=300
    )
    r2 = run_cleanup("fix", "copy", "--in-place", "-j", "1", cwd=tmp_path)
    assert r1.returncode == r2.returncode == 0, r1.stderr
    assert _tree(tmp_path / "in") == _tree(copy)


def test_an_unreachable_scheduler_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The solar conflict.\n")
    r = run_cleanup("fix", "a.txt", "--dask", "tcp://127.0.0.1:9", cwd=tmp_path, timeout=120)
    assert r.returncode == 2
    assert b"Traceback" not in r.stderr
    assert b"cannot reach the Dask scheduler" in r.stderr


def test_no_file_to_clean_starts_no_cluster(tmp_path: Path) -> None:
    """Inputs that are all refused (here, outside the working folder, which the patch
    could not name) are reported at once: no cluster is started, nor a scheduler sought
    (this address has none)."""
    (tmp_path / "work").mkdir()
    (tmp_path / "a.txt").write_text("The solar conflict.\n")
    outside = str(tmp_path / "a.txt")
    for dask in (["--dask", "tcp://127.0.0.1:9"], ["--dask"]):
        r = run_cleanup("fix", outside, "--out", "o", *dask, cwd=tmp_path / "work", timeout=60)
        assert r.returncode == 2, r.stderr
        assert b"outside the working folder" in r.stderr
        assert b"Dask scheduler" not in r.stderr


def test_dask_names_rules_and_cleaners_by_their_content() -> None:
    """Dask names what it is given (``dask.base.tokenize``): a rule set by a hash of its
    pickle, not by Dask's walk of every rule and name, which took seconds for the bundled
    packs on each ``--dask`` run. One set, and cleaners of it with the same options,
    get one name each time; any change to the rules or the options, another."""
    from dask.base import tokenize

    from cleanup.engine import FixOptions

    rules = load_rules(builtin_pack_paths())
    fewer = rules.only(frozenset(r.id for r in rules.rules[1:]))
    assert rules.token() == rules.token()
    assert tokenize(rules) == tokenize(rules) != tokenize(fewer)
    cleaner = Cleaner(rules)
    assert tokenize(cleaner) == tokenize(Cleaner(rules)) != tokenize(Cleaner(fewer))
    assert tokenize(cleaner) != tokenize(Cleaner(rules, FixOptions(ignore=("calques",))))
    assert tokenize(cleaner.batch) == tokenize(Cleaner(rules).batch)


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner(load_rules(builtin_pack_paths()))


def _texts() -> list[str]:
    texts = [p.read_text() for p in sorted(SAMPLES.glob("*.txt"))]
    return [*texts, "", "The three-sided talks on the solar conflict.", *texts]


def test_a_bag_of_jsonl_records_is_cleaned_as_one_by_one(
    client: distributed.Client, cleaner: Cleaner, tmp_path: Path
) -> None:
    from cleanup.dask_run import clean_bag

    texts = _texts()
    for shard in range(3):  # three JSONL shards, each a partition
        with (tmp_path / f"part-{shard}.jsonl").open("w") as handle:
            for i, text in enumerate(texts[shard::3]):
                handle.write(json.dumps({"id": f"{shard}-{i}", "text": text}) + "\n")
    bag = dask_bag.read_text(str(tmp_path / "part-*.jsonl")).map(json.loads)
    assert bag.npartitions == 3
    cleaned = clean_bag(bag, cleaner, column="text").compute()
    expected = [
        {"id": f"{s}-{i}", "text": cleaner(t)} for s in range(3) for i, t in enumerate(texts[s::3])
    ]
    assert cleaned == expected
    assert any(
        r["text"] != t
        for r, t in zip(cleaned, [t for s in range(3) for t in texts[s::3]], strict=True)
    )
    plain = clean_bag(dask_bag.from_sequence(texts, npartitions=4), cleaner).compute()
    assert plain == [cleaner(t) for t in texts]


def test_a_parquet_text_column_is_cleaned(
    client: distributed.Client, cleaner: Cleaner, tmp_path: Path
) -> None:
    import pandas as pd

    from cleanup.dask_run import clean_dataframe

    texts = _texts()
    frame = pd.DataFrame({"id": range(len(texts)), "text": texts})
    dask_dataframe.from_pandas(frame, npartitions=3).to_parquet(tmp_path / "corpus")
    loaded = dask_dataframe.read_parquet(tmp_path / "corpus")
    cleaned = clean_dataframe(loaded, cleaner, "text").compute().sort_values("id")
    assert cleaned["text"].tolist() == [cleaner(t) for t in texts]
    assert cleaned["id"].tolist() == list(range(len(texts)))
