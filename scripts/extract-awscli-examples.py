#!/usr/bin/env python3
"""Extract the JSON example outputs of the AWS CLI's documentation into a vpcreach snapshot fixture.

Provenance
----------
Every file this script writes under ``fixtures/awscli-examples/`` is an ``Output::`` block copied
from the reStructuredText examples shipped in the ``awscli`` Python package, version 1.45.11
(``site-packages/awscli/examples/{ec2,route53,ecs}/<command>.rst``).  Those examples are
Copyright 2012-2020 Amazon.com, Inc. or its affiliates. All Rights Reserved.  Licensed under the
Apache License, Version 2.0 (http://aws.amazon.com/apache2.0/).  The generated
``fixtures/awscli-examples/README.md`` lists, for every file, the source ``.rst`` file, the line of
its ``Output::`` marker, the example heading and the command line.

What it does
------------
* For each command in ``COMMANDS`` it finds every ``Output::`` line followed by an indented block,
  dedents the block and parses it with ``json.loads``.
* The block is written out *as text* (dedented, trailing blank lines and line-end spaces removed,
  one final newline),
  so the content is byte-faithful to the documentation; the script re-parses what it writes and
  checks it equals the parsed block.
* Blocks are skipped (and reported on stderr and in the README) when they are not valid JSON
  (``--output text``/``table`` renderings, truncated "..." listings, hand-edited typos such as
  single quotes or trailing commas) or when they are valid JSON but
  not the command's native response shape (a ``--query`` projection, or a top-level array).  Such
  files would not be recognised as snapshot inputs by the loader.
* Layout (one snapshot folder, files recognised by their top-level key):
    - ec2/ecs:  ``<service>/<command>-<n>.json``, ``n`` = 1, 2, ... over the extracted blocks of
      that command, in document order;
    - ``get-managed-prefix-list-entries``: ``ec2/prefix-list-entries/<pl-id>.json`` with the id
      taken from ``--prefix-list-id`` in the example's command line (its output has no id);
    - ``list-resource-record-sets``: ``route53/<zone-id>/list-resource-record-sets.json`` with the id
      from ``--hosted-zone-id`` (``/hostedzone/`` stripped); ``get-hosted-zone``:
      ``route53/<zone-id>/get-hosted-zone.json`` from ``--id``; without an id, and for
      ``list-hosted-zones``, ``route53/<command>-<n>.json``;
    - when two examples map to the same path the later ones get ``-2``, ``-3``, ... before ``.json``.
* Writes ``Tests/VPCReachKitTests/Expectations/awscli-example-counts.json``: per extracted file
  (path relative to the repo root), the number of resources under each top-level key (list ->
  length, object -> 1, scalars such as ``VpcId``/``NextToken`` are not counted; describe-instances
  also gets ``Instances`` = instances over all reservations), plus ``totals`` summed per key.

Usage
-----
    python3 scripts/extract-awscli-examples.py [--examples-dir DIR] [--repo-root DIR] [--check]

``--check`` writes nothing and exits 1 if the files on disk differ from what would be generated.
Standard library only (Python 3.11).  The awscli package is located with importlib without being
imported; ``--examples-dir`` overrides that (point it at ``.../awscli/examples``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shlex
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

EXPECTED_AWSCLI_VERSION = "1.45.11"

# (service, command) pairs, in the order they are reported.
COMMANDS: list[tuple[str, str]] = [
    ("ec2", "describe-vpcs"),
    ("ec2", "describe-subnets"),
    ("ec2", "describe-route-tables"),
    ("ec2", "describe-security-groups"),
    ("ec2", "describe-network-acls"),
    ("ec2", "describe-network-interfaces"),
    ("ec2", "describe-vpc-peering-connections"),
    ("ec2", "describe-internet-gateways"),
    ("ec2", "describe-nat-gateways"),
    ("ec2", "describe-managed-prefix-lists"),
    ("ec2", "get-managed-prefix-list-entries"),
    ("ec2", "describe-prefix-lists"),
    ("ec2", "describe-instances"),
    ("ec2", "describe-vpc-attribute"),
    ("route53", "list-hosted-zones"),
    ("route53", "get-hosted-zone"),
    ("route53", "list-resource-record-sets"),
    ("ecs", "describe-services"),
    ("ecs", "describe-tasks"),
]

FIXTURE_DIR = Path("fixtures") / "awscli-examples"
COUNTS_FILE = Path("Tests") / "VPCReachKitTests" / "Expectations" / "awscli-example-counts.json"

HEADING_RE = re.compile(r"^\*\*.+\*\*\s*$")
OUTPUT_RE = re.compile(r"^Output::\s*$")


@dataclass
class Block:
    service: str
    command: str
    rst: str  # path relative to the examples dir, e.g. "ec2/describe-vpcs.rst"
    line: int  # 1-based line of the "Output::" marker
    heading: str
    command_line: str  # the example's aws command, continuation lines joined
    options: dict[str, list[str]]
    text: str  # dedented block text, ends with "\n"


@dataclass
class Extracted:
    block: Block
    target: Path  # relative to the repo root
    data: object


@dataclass
class Skipped:
    block: Block
    reason: str


@dataclass
class Result:
    extracted: list[Extracted] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # commands with no .rst or no Output:: block
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Locating the awscli package


def find_examples_dir() -> Path:
    spec = importlib.util.find_spec("awscli")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("error: the awscli package is not installed; pass --examples-dir")
    return Path(list(spec.submodule_search_locations)[0]) / "examples"


def awscli_version(examples_dir: Path) -> str:
    init = examples_dir.parent / "__init__.py"
    try:
        match = re.search(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", init.read_text(), re.M)
    except OSError:
        match = None
    return match.group(1) if match else "unknown"


# --------------------------------------------------------------------------------------------
# Parsing the .rst files


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def read_indented_block(lines: list[str], start: int) -> tuple[str, int]:
    """Return the dedented indented block starting at or after `start` (skipping blank lines)."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    body: list[str] = []
    while i < len(lines) and (not lines[i].strip() or indent_of(lines[i]) > 0):
        body.append(lines[i])
        i += 1
    while body and not body[-1].strip():
        body.pop()
    # Trailing spaces are dropped: a JSON string cannot span lines, so they are never content.
    text = textwrap.dedent("\n".join(line.rstrip() for line in body))
    return (text + "\n") if text else "", i


def find_command_line(lines: list[str], lo: int, hi: int, service: str, command: str) -> str:
    """First `aws <service> <command>` line in lines[lo:hi], joined with its continuations."""
    prefix = f"aws {service} {command}"
    for i in range(lo, hi):
        stripped = lines[i].strip()
        if stripped == prefix or stripped.startswith(prefix + " "):
            parts = []
            j = i
            while j < hi:
                part = lines[j].strip()
                if part.endswith("\\") or part.endswith("^"):
                    parts.append(part[:-1].strip())
                    j += 1
                    continue
                parts.append(part)
                break
            return " ".join(p for p in parts if p)
    return ""


def parse_options(command_line: str) -> dict[str, list[str]]:
    """Map --option -> its values (`--opt=v` and `--opt v1 v2` forms)."""
    try:
        tokens = shlex.split(command_line)
    except ValueError:
        tokens = command_line.split()
    options: dict[str, list[str]] = {}
    current: str | None = None
    for tok in tokens[3:]:  # skip "aws <service> <command>"
        if tok.startswith("--"):
            name, eq, value = tok.partition("=")
            current = name
            options.setdefault(name, [])
            if eq:
                options[name].append(value)
        elif current is not None:
            options[current].append(tok)
    return options


def parse_rst(examples_dir: Path, service: str, command: str) -> list[Block]:
    rel = f"{service}/{command}.rst"
    path = examples_dir / rel
    # Text mode with universal newlines: several example files use CRLF line endings.
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    heading = ""
    section_start = 0  # where to start looking for the command of the next Output:: block
    for idx, line in enumerate(lines):
        if HEADING_RE.match(line):
            heading = line.strip().strip("*").strip()
            section_start = idx
        elif OUTPUT_RE.match(line):
            text, _ = read_indented_block(lines, idx + 1)
            command_line = find_command_line(lines, section_start, idx, service, command)
            blocks.append(
                Block(
                    service=service,
                    command=command,
                    rst=rel,
                    line=idx + 1,
                    heading=heading,
                    command_line=command_line,
                    options=parse_options(command_line),
                    text=text,
                )
            )
            section_start = idx + 1
    return blocks


# --------------------------------------------------------------------------------------------
# Validation, naming and counting


def reject_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def first_option(block: Block, name: str) -> str | None:
    values = block.options.get(name) or []
    return values[0] if values else None


def base_target(block: Block, ordinal: int) -> Path:
    root = FIXTURE_DIR / block.service
    if block.command == "get-managed-prefix-list-entries":
        pl_id = first_option(block, "--prefix-list-id")
        if pl_id:
            return root / "prefix-list-entries" / f"{pl_id}.json"
    elif block.command in ("list-resource-record-sets", "get-hosted-zone"):
        zone = first_option(block, "--hosted-zone-id" if block.command == "list-resource-record-sets" else "--id")
        if zone:
            zone = zone.rsplit("/hostedzone/", 1)[-1].strip("/")
            return root / zone / f"{block.command}.json"
    return root / f"{block.command}-{ordinal}.json"


def dedupe(path: Path, taken: set[Path]) -> Path:
    if path not in taken:
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if candidate not in taken:
            return candidate
        n += 1


def count_resources(command: str, data: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key, value in data.items():
        if isinstance(value, list):
            counts[key] = len(value)
        elif isinstance(value, dict):
            counts[key] = 1  # e.g. describe-vpc-attribute's {"EnableDnsSupport": {"Value": true}}
    if command == "describe-instances":
        counts["Instances"] = sum(
            len(r.get("Instances") or []) for r in data.get("Reservations") or [] if isinstance(r, dict)
        )
    return counts


def extract(examples_dir: Path) -> Result:
    result = Result()
    taken: set[Path] = set()
    for service, command in COMMANDS:
        rst = examples_dir / service / f"{command}.rst"
        if not rst.is_file():
            result.missing.append(f"{service} {command}: no example file {rst}")
            continue
        blocks = parse_rst(examples_dir, service, command)
        if not blocks:
            result.missing.append(f"{service} {command}: {service}/{command}.rst has no Output:: block")
            continue
        ordinal = 0
        for block in blocks:
            where = f"{block.rst}:{block.line}"
            try:
                data = json.loads(block.text, object_pairs_hook=reject_duplicate_keys)
            except json.JSONDecodeError as err:
                lines = block.text.splitlines()
                bad = lines[err.lineno - 1].strip() if lines else ""
                if block.text.lstrip()[:1] not in ("{", "["):
                    reason = f"not JSON (text/table output; first line `{bad}`)"
                else:
                    if err.msg.startswith("Expecting property name") and err.lineno > 1:
                        bad = lines[err.lineno - 2].strip() + " " + bad  # usually a trailing comma
                    reason = f"not valid JSON: {err.msg} at block line {err.lineno}: `{bad}`"
                result.skipped.append(Skipped(block, reason))
                continue
            except ValueError as err:  # duplicate keys
                result.skipped.append(Skipped(block, f"not valid JSON for a snapshot: {err}"))
                continue
            if "--query" in block.options:
                result.skipped.append(Skipped(block, "valid JSON, but a --query projection, not the response shape"))
                continue
            if not isinstance(data, dict):
                result.skipped.append(Skipped(block, f"valid JSON, but top level is {type(data).__name__}, not an object"))
                continue
            if not block.command_line:
                result.warnings.append(f"{where}: could not find the example's command line")
            for marker in ("NextToken", "IsTruncated", "NextMarker", "Marker"):
                if marker in data and data[marker] not in (None, False, ""):
                    result.warnings.append(f"{where}: output carries {marker}={data[marker]!r} (incomplete page)")
            ordinal += 1
            target = dedupe(base_target(block, ordinal), taken)
            taken.add(target)
            result.extracted.append(Extracted(block, target, data))
    return result


# --------------------------------------------------------------------------------------------
# Output


def md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")


def render_readme(result: Result, version: str) -> str:
    out = [
        "# AWS CLI documentation examples as a vpcreach snapshot",
        "",
        "Generated by `scripts/extract-awscli-examples.py`; do not edit by hand, re-run the script.",
        "",
        f"Every `.json` file here is an `Output::` block from the examples shipped with the `awscli`",
        f"Python package, version {version} (`site-packages/awscli/examples/<service>/<command>.rst`).",
        "The JSON text is copied verbatim (dedented only).",
        "",
        "Licence notice: Copyright 2012-2020 Amazon.com, Inc. or its affiliates. All Rights Reserved.",
        "Licensed under the Apache License, Version 2.0 (the \"License\"); see http://aws.amazon.com/apache2.0/",
        "(the awscli package's LICENSE.txt).",
        "",
        "The whole folder is loaded as one snapshot, but the examples were written independently: IDs",
        "do not line up across files, some files describe the same resources twice, and the values are",
        "documentation placeholders (e.g. `\"PrivateIpAddress\": \"10-0-0-157\"` in",
        "`ec2/describe-instances-1.json`). Use it to test decoding of real shapes, not reachability.",
        "",
        "Expected resource counts: `Tests/VPCReachKitTests/Expectations/awscli-example-counts.json`.",
        "",
        "## Files",
        "",
        "| File | Source (`awscli/examples/…`, line of `Output::`) | Example | Command |",
        "|---|---|---|---|",
    ]
    for item in sorted(result.extracted, key=lambda e: e.target.as_posix()):
        b = item.block
        rel = item.target.relative_to(FIXTURE_DIR).as_posix()
        out.append(
            f"| `{rel}` | `{b.rst}`:{b.line} | {md_escape(b.heading)} | `{md_escape(b.command_line) or '?'}` |"
        )
    out += [
        "",
        "## Shape notes for the loader (observed in these files)",
        "",
        "* `describe-managed-prefix-lists` and `describe-prefix-lists` share the top-level key",
        "  `PrefixLists`; only the AWS-managed form has `Cidrs` (the customer-managed form has",
        "  `State`, `AddressFamily`, `MaxEntries`, `Version`; `State` may be `create-complete`).",
        "* The same `VpcId` (`vpc-06e4ab6c6cEXAMPLE`) is in `describe-vpcs-1.json` (owner 222222222222)",
        "  and `describe-vpcs-2.json` (owner 111122223333): duplicate ids across files, conflicting.",
        "* Older examples omit fields that current output always has: ENIs without `InterfaceType`,",
        "  route-table associations without `AssociationState`, peering `VpcInfo` without",
        "  `CidrBlockSet`/`Region`, and the accepter side of an *active* peering without",
        "  `PeeringOptions` (the requester's only has the ClassicLink flags).",
        "* A pending peering's `AccepterVpcInfo` has no `CidrBlock` at all.",
        "* Placeholder values that are not valid: `\"PrivateIpAddress\": \"10-0-0-157\"` (instance), a",
        "  13-digit `OwnerId` (`describe-subnets-1.json`).",
        "* `describe-internet-gateways` attachments say `\"State\": \"available\"` (not `attached`).",
        "* ECS: the service has no `networkConfiguration` (bridge mode); `describe-tasks-1.json` has",
        "  `attachments: []`; the ENI attachment `details[]` also carry `privateDnsName`.",
        "* awscli 1.45.11 ships no `Output::` for any Route 53 command used here, so this snapshot",
        "  has no Route 53 files, and no `describe-security-groups` file (see below).",
        "* `describe-instances.rst` examples 12 and 13 show output without an `Output::` marker (a",
        "  partial `\"Instances\": [...]` fragment and `--output text`); they are not extracted.",
    ]
    out += ["", "## Example outputs not extracted", ""]
    if result.skipped or result.missing:
        for s in result.skipped:
            out.append(f"* `{s.block.rst}`:{s.block.line} ({md_escape(s.block.heading)}): {md_escape(s.reason)}")
        for m in result.missing:
            out.append(f"* {md_escape(m)}")
    else:
        out.append("None.")
    out.append("")
    return "\n".join(out)


def render_counts(result: Result) -> str:
    files: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for item in sorted(result.extracted, key=lambda e: e.target.as_posix()):
        counts = count_resources(item.block.command, item.data)  # type: ignore[arg-type]
        files[item.target.as_posix()] = dict(sorted(counts.items()))
        for key, n in counts.items():
            totals[key] = totals.get(key, 0) + n
    doc: dict[str, object] = dict(files)
    doc["totals"] = dict(sorted(totals.items()))
    return json.dumps(doc, indent=2) + "\n"


def planned_files(result: Result, version: str) -> dict[Path, str]:
    files: dict[Path, str] = {}
    for item in result.extracted:
        # Byte-faithful: write the documentation's own text, after checking it round-trips.
        if json.loads(item.block.text) != item.data:
            raise AssertionError(f"{item.target}: text does not round-trip")
        files[item.target] = item.block.text
    files[FIXTURE_DIR / "README.md"] = render_readme(result, version)
    files[COUNTS_FILE] = render_counts(result)
    return files


def existing_generated(repo: Path) -> set[Path]:
    root = repo / FIXTURE_DIR
    found: set[Path] = set()
    if root.is_dir():
        for p in root.rglob("*"):
            if p.is_file() and (p.suffix == ".json" or p.name == "README.md"):
                found.add(p.relative_to(repo))
    if (repo / COUNTS_FILE).is_file():
        found.add(COUNTS_FILE)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples-dir", type=Path, help="awscli/examples directory (default: the installed awscli)")
    parser.add_argument(
        "--repo-root", type=Path, default=Path(__file__).resolve().parent.parent, help="vpcreach checkout (default: ..)"
    )
    parser.add_argument("--check", action="store_true", help="only compare with the files on disk")
    args = parser.parse_args()

    examples_dir = args.examples_dir or find_examples_dir()
    if not examples_dir.is_dir():
        sys.exit(f"error: {examples_dir} is not a directory")
    version = awscli_version(examples_dir)
    if version != EXPECTED_AWSCLI_VERSION:
        print(
            f"warning: awscli {version} found, the fixture documents {EXPECTED_AWSCLI_VERSION}; "
            "update EXPECTED_AWSCLI_VERSION and the provenance notes",
            file=sys.stderr,
        )

    result = extract(examples_dir)
    files = planned_files(result, version)
    repo: Path = args.repo_root

    if args.check:
        stale = existing_generated(repo) - set(files)
        differ = [p for p, text in files.items() if not (repo / p).is_file() or (repo / p).read_text() != text]
        for p in sorted(differ):
            print(f"out of date: {p}", file=sys.stderr)
        for p in sorted(stale):
            print(f"stale: {p}", file=sys.stderr)
        return 1 if differ or stale else 0

    for p in existing_generated(repo) - set(files):
        (repo / p).unlink()
    for p, text in files.items():
        (repo / p).parent.mkdir(parents=True, exist_ok=True)
        (repo / p).write_text(text, encoding="utf-8")
    # Remove directories emptied by the clean-up above.
    for dirpath, _, _ in sorted(os.walk(repo / FIXTURE_DIR), key=lambda t: -len(t[0])):
        if not os.listdir(dirpath):
            os.rmdir(dirpath)

    for item in result.extracted:
        print(f"wrote {item.target}  <- {item.block.rst}:{item.block.line}")
    for s in result.skipped:
        print(f"skipped {s.block.rst}:{s.block.line} ({s.block.heading}): {s.reason}", file=sys.stderr)
    for m in result.missing:
        print(f"no output: {m}", file=sys.stderr)
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"{len(result.extracted)} files, {len(result.skipped)} blocks skipped, awscli {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
