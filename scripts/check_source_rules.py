#!/usr/bin/env python3
"""Checks the source tree's habits that a compiler does not:

- every pointer into the docs from src/, tests/ and bench/
  (`docs/FILES.md#names`, `README.md#the-server`) names a heading that
  exists (GitHub's anchors);
- no comment points to "SPEC section N" (a document that is not in the
  repository);
- no source file is over 400 lines (fuzz corpus data excepted).

Usage: check_source_rules.py [REPO_ROOT]. Prints each violation and exits 1
if there is any."""
import pathlib
import re
import sys

MAX_LINES = 400
SOURCE_DIRS = ("src", "tests", "bench")
SKIPPED_DIRS = ("tests/fuzz/corpus",)
SOURCE_SUFFIXES = {".cpp", ".hpp", ".h", ".cc", ".py", ".sh", ".txt", ".cmake"}
# Pages that another branch brings: their anchors are checked once they are
# here. Remove an entry when its page has landed.
PENDING_DOCS = {}
DOC_LINK = re.compile(r"((?:docs/)?[A-Z][A-Za-z_]*\.md)#([A-Za-z0-9_-]+)")
SPEC_POINTER = re.compile(r"SPEC(?:'s)?\s+(?:section|§)|SPEC\s+sections|SPEC §")


def github_anchor(heading):
    """The anchor GitHub gives a Markdown heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors_of(doc):
    anchors, in_fence = set(), False
    for line in doc.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and line.startswith("#"):
            anchors.add(github_anchor(line.lstrip("#")))
    return anchors


def source_files(root):
    for top in SOURCE_DIRS:
        for path in sorted((root / top).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and path.suffix in SOURCE_SUFFIXES and not rel.startswith(SKIPPED_DIRS):
                yield path, rel


def check(root):
    problems, anchors = [], {}
    for path, rel in source_files(root):
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = text.splitlines()
        if len(lines) > MAX_LINES:
            problems.append(f"{rel}: {len(lines)} lines (at most {MAX_LINES})")
        for number, line in enumerate(lines, 1):
            if SPEC_POINTER.search(line):
                problems.append(f"{rel}:{number}: points to the SPEC; point into docs/ instead")
            for doc_name, anchor in DOC_LINK.findall(line):
                doc = root / doc_name
                if not doc.is_file() and doc_name in PENDING_DOCS:
                    continue
                if not doc.is_file():
                    problems.append(f"{rel}:{number}: {doc_name} does not exist")
                    continue
                if doc_name not in anchors:
                    anchors[doc_name] = anchors_of(doc)
                if anchor not in anchors[doc_name]:
                    problems.append(f"{rel}:{number}: {doc_name} has no heading #{anchor}")
    return problems


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
    problems = check(root)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
