"""Property: whatever bytes land in whatever field, a build either succeeds or prints only
`path:line: error:` lines and exits 1 — never a traceback — and site/ is the old or the new site."""
from __future__ import annotations

import io
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout

from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from miniproject import FILES, make_project

# (file, text to replace) for every field a fuzzed value can go into.
FIELDS = [
    ("content/topics/fixture-topic.md", "A fixture topic"),
    ("content/topics/fixture-topic.md", "A short topic used by the tests."),
    ("content/topics/fixture-topic.md", "2020-01-02"),
    ("content/topics/fixture-topic.md", "A hormone is a messenger."),
    ("content/topics/fixture-topic.md", "The hormone level is checked"),
    ("content/topics/fixture-topic.md", "fixture-protocol]"),
    ("glossary/hormone.yml", "hormone\naliases"),
    ("glossary/hormone.yml", "A chemical messenger carried in the blood."),
    ("glossary/hormone.yml", "Made by glands and carried in the blood."),
    ("glossary/medicine-x.yml", "Does nothing at all."),
    ("content/protocols/fixture-protocol.yml", "Placeholder"),
    ("content/protocols/fixture-protocol.yml", "daily"),
    ("content/references.bib", "A trial of medicine X"),
    ("content/references.bib", "Smith, Anna and Lee, Bo"),
    ("content/references.bib", "100--110"),
]
ERROR_LINE = re.compile(r"^\S[^\n]*?(?::\d+)?: error: .+$")
SPECIALS = st.sampled_from(["{{", "}}", "{%", "[@", "]", "&", "<", "\n", "\x00", "\ufeff", "*a", "---", "#", ":", "\\"])
VALUES = st.one_of(
    st.binary(max_size=30),
    st.lists(st.one_of(st.text(max_size=8), SPECIALS), max_size=6).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(range(len(FIELDS))), VALUES), min_size=1, max_size=3))
def test_any_bytes_in_any_field(tmp_path_factory, edits: list[tuple[int, bytes]]) -> None:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("fuzz")
    files: dict[str, bytes] = {k: v.encode("utf-8") for k, v in FILES.items()}
    for index, value in edits:
        rel, old = FIELDS[index]
        files[rel] = files[rel].replace(old.encode("utf-8"), value, 1)
    root = make_project(tmp, files)  # type: ignore[arg-type]
    old_site = root / "site"
    old_site.mkdir()
    (old_site / "index.html").write_text("the last good site")
    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        code = run_cli(root, "build")
    assert code in (0, 1), err.getvalue()
    assert "Traceback" not in err.getvalue()
    if code == 1:
        lines = [l for l in err.getvalue().splitlines() if l.strip()]
        assert lines and all(ERROR_LINE.match(l) for l in lines), err.getvalue()
        assert (old_site / "index.html").read_text() == "the last good site"
    else:
        assert (old_site / "index.html").read_text() != "the last good site"
    shutil.rmtree(tmp, ignore_errors=True)
