#!/usr/bin/env python3
"""Checks the deployment files in deploy/ (and the commands in docs/operations.md).

  check_deploy.py yaml     --root REPO                  every YAML file parses and has the
                                                          structure the platform relies on
  check_deploy.py commands --root REPO --binary PATH    every `climahealth ...` command line
                                                          names verbs and flags the binary has
  check_deploy.py docker   --root REPO --binary PATH    the Dockerfile copies files that exist
                                                          and installs every library the binary links

Exit status 0 when all checks pass, 1 with one line per problem otherwise, 77 (ctest's
skip) when a tool the check needs is missing.
"""
import argparse
import glob
import json
import os
import re
import shlex
import subprocess
import sys

SKIP = 77


def load_yaml_module():
    try:
        import yaml  # noqa: F401  (python3-yaml)
    except ImportError:
        print("SKIP: python3-yaml is not installed (apt-get install python3-yaml)")
        sys.exit(SKIP)
    return yaml


def yaml_loader(yaml):
    """A safe loader that also accepts CloudFormation's short-form tags (!Ref, !Sub, ...)."""

    class Loader(yaml.SafeLoader):
        pass

    def construct_tag(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {"Fn::" + suffix if suffix != "Ref" else "Ref": value}

    Loader.add_multi_constructor("!", construct_tag)
    return Loader


def yaml_files(root):
    return sorted(glob.glob(os.path.join(root, "deploy", "**", "*.yaml"), recursive=True) +
                  glob.glob(os.path.join(root, "deploy", "**", "*.yml"), recursive=True))


def load_docs(root):
    """(relative path, [documents]) for every YAML file under deploy/; raises on a parse error."""
    yaml = load_yaml_module()
    loader = yaml_loader(yaml)
    out = []
    for path in yaml_files(root):
        with open(path, encoding="utf-8") as f:
            docs = [d for d in yaml.load_all(f, Loader=loader) if d is not None]
        out.append((os.path.relpath(path, root), docs))
    return out


# ---- YAML structure ---------------------------------------------------------------------

def pod_specs(doc):
    """The pod spec(s) of a Kubernetes workload document."""
    kind = doc.get("kind")
    spec = doc.get("spec", {})
    if kind in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
        return [spec.get("template", {}).get("spec", {})]
    if kind == "CronJob":
        return [spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec", {})]
    return []


def containers(pod):
    return list(pod.get("initContainers", []) or []) + list(pod.get("containers", []) or [])


def check_k8s_doc(where, doc, problems):
    for key in ("apiVersion", "kind"):
        if key not in doc:
            problems.append(f"{where}: missing '{key}'")
    if not doc.get("metadata", {}).get("name"):
        problems.append(f"{where}: missing metadata.name")
    kind = doc.get("kind")
    for pod in pod_specs(doc):
        sc = pod.get("securityContext", {})
        if not sc.get("runAsNonRoot"):
            problems.append(f"{where}: pod does not set securityContext.runAsNonRoot")
        if not containers(pod):
            problems.append(f"{where}: pod has no containers")
    if kind == "Deployment":
        for c in containers(pod_specs(doc)[0]):
            live = c.get("livenessProbe", {}).get("httpGet", {}).get("path")
            ready = c.get("readinessProbe", {}).get("httpGet", {}).get("path")
            if live != "/health":
                problems.append(f"{where}: container {c.get('name')}: liveness probe is {live}, want /health")
            if ready != "/ready":
                problems.append(f"{where}: container {c.get('name')}: readiness probe is {ready}, want /ready")
    if kind == "Job" and doc.get("spec", {}).get("completionMode") == "Indexed":
        check_indexed_job(where, doc, problems)


def check_indexed_job(where, doc, problems):
    completions = doc["spec"].get("completions")
    for c in containers(pod_specs(doc)[0]):
        cmd = [str(a) for a in (c.get("command", []) or []) + (c.get("args", []) or [])]
        shard = [cmd[i + 1] for i, a in enumerate(cmd[:-1]) if a == "--shard"]
        name = c.get("name")
        if shard != [f"$(JOB_COMPLETION_INDEX)/{completions}"]:
            problems.append(f"{where}: container {name}: wants `--shard $(JOB_COMPLETION_INDEX)/"
                            f"{completions}` (completions is {completions}), has {shard}")
        env = {e.get("name") for e in c.get("env", []) or []}
        if "JOB_COMPLETION_INDEX" not in env:
            problems.append(f"{where}: container {name}: JOB_COMPLETION_INDEX is not in env, so "
                            "$(JOB_COMPLETION_INDEX) would not be expanded")


def check_sam(where, doc, problems):
    functions = {name: r for name, r in doc.get("Resources", {}).items()
                 if r.get("Type") == "AWS::Serverless::Function"}
    for want in ("predict", "forecast", "alerts"):
        if not any(want in json.dumps(r.get("Properties", {}).get("Events", {})) for r in functions.values()):
            problems.append(f"{where}: no function is scheduled with the '{want}' job")
    for name, r in functions.items():
        props = r.get("Properties", {})
        schedules = [e for e in props.get("Events", {}).values() if e.get("Type") == "Schedule"]
        if not schedules:
            problems.append(f"{where}: {name}: no Schedule event")
        for policy in props.get("Policies", []):
            for st in policy.get("Statement", []) if isinstance(policy, dict) else []:
                actions = st.get("Action")
                actions = actions if isinstance(actions, list) else [actions]
                resources = st.get("Resource")
                resources = resources if isinstance(resources, list) else [resources]
                for a in actions:
                    if "*" in str(a):
                        problems.append(f"{where}: {name}: statement {st.get('Sid')}: wildcard action {a}")
                for res in resources:
                    if res == "*":
                        problems.append(f"{where}: {name}: statement {st.get('Sid')}: resource '*'")


def cmd_yaml(args):
    problems = []
    try:
        files = load_docs(args.root)
    except Exception as e:  # a parse error names the file, line and column
        print(f"FAIL: {e}")
        return 1
    if not files:
        problems.append("no YAML files under deploy/")
    for rel, docs in files:
        if not docs:
            problems.append(f"{rel}: no documents")
        for i, doc in enumerate(docs):
            where = f"{rel} (document {i + 1})"
            if "AWSTemplateFormatVersion" in doc or "Transform" in doc:
                check_sam(where, doc, problems)
            else:
                check_k8s_doc(where, doc, problems)
        print(f"ok: {rel}: {len(docs)} document(s) parse")
    return report(problems)


# ---- command lines ----------------------------------------------------------------------

def command_lines(root):
    """(where, [argv after 'climahealth']) for every climahealth invocation we ship or document."""
    out = []
    for rel, docs in load_docs(root):
        for i, doc in enumerate(docs):
            for pod in pod_specs(doc):
                for c in containers(pod):
                    argv = [str(a) for a in (c.get("command", []) or []) + (c.get("args", []) or [])]
                    if argv and os.path.basename(argv[0]) == "climahealth":
                        out.append((f"{rel}: {doc.get('kind')} {doc['metadata']['name']}, "
                                    f"container {c.get('name')}", argv[1:]))
            for name, r in (doc.get("Resources", {}) or {}).items():
                for ev in (r.get("Properties", {}).get("Events", {}) or {}).values():
                    payload = ev.get("Properties", {}).get("Input")
                    if payload:
                        job = json.loads(payload).get("job")
                        out.append((f"{rel}: {name} (Lambda event job '{job}')", [job]))
    out += dockerfile_command(root)
    out += markdown_commands(root, os.path.join("docs", "operations.md"))
    return out


def dockerfile_command(root):
    rel = os.path.join("deploy", "docker", "Dockerfile")
    path = os.path.join(root, rel)
    if not os.path.exists(path):
        return []
    entry, cmd = [], []
    for line in open(path, encoding="utf-8"):
        if line.startswith("ENTRYPOINT ["):
            entry = json.loads(line[len("ENTRYPOINT "):])
        elif line.startswith("CMD ["):
            cmd = json.loads(line[len("CMD "):])
    argv = entry + cmd
    if argv and os.path.basename(argv[0]) == "climahealth":
        return [(f"{rel}: ENTRYPOINT + CMD", argv[1:])]
    return []


def markdown_commands(root, rel):
    """`climahealth ...` lines inside ``` blocks (with `\\` continuations); <...> is a placeholder."""
    path = os.path.join(root, rel)
    if not os.path.exists(path):
        return []
    out, in_code, pending, start = [], False, "", 0
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if not in_code:
            continue
        text = pending + line.strip()
        if text.endswith("\\"):
            pending, start = text[:-1] + " ", start or n
            continue
        pending, first = "", start or n
        start = 0
        text = re.sub(r"^\$\s+", "", text)
        text = text.split(" #")[0]
        for part in re.split(r"\s*(?:&&|\|\||;|\|)\s*", text):
            tokens = shlex.split(part, posix=True) if part else []
            while tokens and re.match(r"^[A-Z_][A-Z0-9_]*=", tokens[0]):
                tokens = tokens[1:]  # VAR=value prefixes
            if tokens and tokens[0] in ("climahealth", "./climahealth") or (
                    tokens and tokens[0].endswith("/climahealth")):
                out.append((f"{rel}:{first}", tokens[1:]))
    return out


class HelpPage:
    """Options, subcommands and positionals parsed from one CLI11 --help page."""

    def __init__(self, text):
        self.options = {}  # name → takes a value
        self.subcommands = set()
        self.positionals = False
        section = None
        for line in text.splitlines():
            if re.match(r"^[A-Z][A-Za-z ]*:$", line):
                section = line[:-1].lower()
                continue
            m = re.match(r"^  (\S.*?)(?:\s{2,}.*)?$", line)
            if not m or section is None:
                continue
            column = m.group(1)
            if section in ("options", "flags"):
                names = column.split(" ")[0]
                takes_value = " " in column.strip()
                for name in names.split(","):
                    if name.startswith("-"):
                        self.options[name] = takes_value
            elif section == "subcommands":
                self.subcommands.add(column.split()[0])
            elif section == "positionals":
                self.positionals = True


def run_help(binary, path):
    proc = subprocess.run([binary] + path + ["--help"], capture_output=True, text=True, timeout=30)
    return HelpPage(proc.stdout + proc.stderr)


def check_command(binary, argv, pages):
    """Problems with one command line; `pages` caches help pages by verb path."""
    def page(path):
        key = tuple(path)
        if key not in pages:
            pages[key] = run_help(binary, list(path))
        return pages[key]

    problems, path, i = [], [], 0
    while i < len(argv):
        tok = argv[i]
        here = page(path)
        if tok.startswith("-"):
            name, _, inline = tok.partition("=")
            known = here.options if name in here.options else page([]).options
            if name not in known:
                where = "climahealth " + " ".join(path) if path else "climahealth"
                problems.append(f"`{where}` has no flag {name}")
                nxt = argv[i + 1] if i + 1 < len(argv) else None
                if not inline and nxt is not None and not nxt.startswith("-") and \
                        nxt not in here.subcommands:
                    i += 1  # most likely its value: keep checking the rest of the line
            elif known[name] and not inline:
                i += 1  # its value
        elif tok in here.subcommands:
            path.append(tok)
        elif here.subcommands:
            where = "climahealth " + " ".join(path) if path else "climahealth"
            problems.append(f"`{where}` has no subcommand '{tok}' (has: {', '.join(sorted(here.subcommands))})")
            return problems
        elif not here.positionals:
            problems.append(f"`climahealth {' '.join(path)}` takes no positional argument '{tok}'")
        i += 1
    if not path:
        problems.append("no subcommand given")
    return problems


def cmd_commands(args):
    if not os.access(args.binary, os.X_OK):
        print(f"FAIL: {args.binary} is not an executable (build the climahealth target)")
        return 1
    pages, problems, missing_verbs = {}, [], set()
    lines = command_lines(args.root)
    for where, argv in lines:
        found = check_command(args.binary, argv, pages)
        shown = "climahealth " + " ".join(argv)
        if found:
            for p in found:
                problems.append(f"{where}: {shown}: {p}")
                m = re.match(r"^`climahealth` has no subcommand '([^']+)'", p)
                if m:
                    missing_verbs.add(m.group(1))
        else:
            print(f"ok: {where}: {shown}")
    if missing_verbs:
        problems.append("verbs missing from the binary: " + ", ".join(sorted(missing_verbs)))
    print(f"{len(lines)} command lines checked")
    return report(problems)


# ---- Dockerfile -------------------------------------------------------------------------

BASE_IMAGE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}  # in debian:*-slim


def dockerfile_stages(text):
    stages, current = [], None
    for line in text.replace("\\\n", " ").splitlines():
        m = re.match(r"^FROM\s+\S+(?:\s+AS\s+(\S+))?", line, re.I)
        if m:
            current = {"name": m.group(1), "lines": []}
            stages.append(current)
        elif current is not None:
            current["lines"].append(line)
    return stages


# Libraries the binary opens at run time rather than linking (src/net/curl_library.h).
RUNTIME_OPENED = ["libcurl.so.4"]


def needed_packages(binary):
    """Debian packages of the shared libraries the binary names in DT_NEEDED
    or opens at run time."""
    out = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout
    libs = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out) + RUNTIME_OPENED
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    paths = dict(re.findall(r"^\s*(\S+) => (\S+)", ldd, re.M))
    cache = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    for lib in RUNTIME_OPENED:
        m = re.search(r"^\s*" + re.escape(lib) + r" \(libc6,x86-64\) => (\S+)", cache, re.M)
        if m:
            paths.setdefault(lib, m.group(1))
    packages = {}
    for lib in libs:
        path = paths.get(lib)
        if path is None:
            if lib in RUNTIME_OPENED:
                packages[lib] = None  # not installed here
            continue  # otherwise the dynamic loader itself
        if re.match(r"lib(a|ub|t|l)san\.so", lib):
            continue  # a sanitizer build's runtime, never part of the image
        real = os.path.realpath(path)
        owner = None
        for p in (path, real, real.replace("/usr/lib/", "/lib/"), real.replace("/lib/", "/usr/lib/", 1)):
            res = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
            if res.returncode == 0:
                owner = res.stdout.split(":")[0].strip()
                break
        packages[lib] = owner
    return packages


def cmd_docker(args):
    rel = os.path.join("deploy", "docker", "Dockerfile")
    text = open(os.path.join(args.root, rel), encoding="utf-8").read()
    problems = []
    stages = dockerfile_stages(text)
    stage_names = {s["name"] for s in stages}
    for s in stages:
        for line in s["lines"]:
            m = re.match(r"^COPY\s+(.*)$", line.strip())
            if not m or "--from=" in line:
                continue
            parts = [p for p in m.group(1).split() if not p.startswith("--")]
            for src in parts[:-1]:
                if not glob.glob(os.path.join(args.root, src)):
                    problems.append(f"{rel}: stage {s['name']}: COPY source '{src}' does not exist")
    for s in stages:
        for line in s["lines"]:
            m = re.search(r"--from=(\S+)", line)
            if m and m.group(1) not in stage_names:
                problems.append(f"{rel}: stage {s['name']}: COPY --from={m.group(1)}: no such stage")
    runtime = stages[-1]
    if not any(re.match(r"^USER\s+(?!0\b|root\b)", l) for l in runtime["lines"]):
        problems.append(f"{rel}: the final stage does not switch to a non-root USER")
    installed = set()
    for line in runtime["lines"]:
        if "apt-get install" in line:
            after = line.split("apt-get install", 1)[1].split("&&")[0]
            installed |= {w for w in after.split() if not w.startswith("-")}
    if shutil_which("readelf") is None or shutil_which("dpkg") is None:
        print("SKIP: readelf or dpkg missing; library coverage not checked")
        return report(problems) or SKIP
    needed = needed_packages(args.binary)
    for lib, pkg in sorted(needed.items()):
        if pkg is None:
            problems.append(f"{args.binary} needs {lib}, which no Debian package owns here")
        elif pkg not in installed and pkg not in BASE_IMAGE_PACKAGES:
            problems.append(f"{rel}: the runtime stage does not install {pkg} (for {lib})")
        else:
            print(f"ok: {lib} from {pkg}")
    unused = installed - set(needed.values()) - {"ca-certificates"}
    if unused:
        print("note: installed in the runtime stage but not linked by this build: " +
              ", ".join(sorted(unused)) + " (expected while modules are still being added)")
    return report(problems)


def shutil_which(name):
    import shutil
    return shutil.which(name)


def report(problems):
    for p in problems:
        print(f"FAIL: {p}")
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("check", choices=["yaml", "commands", "docker"])
    parser.add_argument("--root", required=True, help="repository root")
    parser.add_argument("--binary", help="the climahealth binary")
    args = parser.parse_args()
    if args.check != "yaml" and not args.binary:
        parser.error(f"{args.check} needs --binary")
    return {"yaml": cmd_yaml, "commands": cmd_commands, "docker": cmd_docker}[args.check](args)


if __name__ == "__main__":
    sys.exit(main())
