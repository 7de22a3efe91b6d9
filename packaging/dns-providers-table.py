#!/usr/bin/env python3
"""Writes the README's list of every dns-01 provider (built-in and through lexicon) with the
fields its credential needs, from what a running service serves at GET /api/challengeproviders,
so the list is the catalogue itself rather than a copy typed by hand.

  python3 packaging/dns-providers-table.py PROVIDERS.json [--update README.md]

PROVIDERS.json is that answer ("-": standard input). Without --update the list goes to stdout;
with it, it replaces what stands between the README's "dns-providers" markers. README.md's
"DNS providers" section says how to get the answer from a throwaway service.
"""

import json
import re
import sys

BEGIN = "<!-- dns-providers: begin (packaging/dns-providers-table.py) -->"
END = "<!-- dns-providers: end -->"


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def fields_of(provider):
    credential = provider.get("credential")
    if not credential:
        return "none"
    shown = []
    for field in credential.get("fields", []):
        name = f"`{field['name']}`"
        notes = [n for n, on in (("secret", field.get("secret")),
                                 ("required", field.get("required"))) if on]
        shown.append(name + (f" ({', '.join(notes)})" if notes else ""))
    return ", ".join(shown)


def table(answer):
    items = answer["items"]
    built_in = [p for p in items if not p["id"].startswith("lexicon:")]
    lexicon = [p for p in items if p["id"].startswith("lexicon:") and not p.get("nativeProvider")]
    by_id = [p for p in items if p.get("nativeProvider")]
    note = cell(answer.get("lexicon", {}).get("note", "")).rstrip(".")
    lines = [
        BEGIN,
        "",
        f"{len(built_in) + len(lexicon)} providers are offered ({len(built_in)} built in, "
        f"{len(lexicon)} through lexicon), and {len(by_id)} more by id only. As generated: {note}.",
        "",
        "| id | provider | credential fields |",
        "|---|---|---|",
    ]
    for p in items:
        title = cell(p["title"])
        if p.get("nativeProvider"):
            title += f" — by id only; menus offer the built-in `{p['nativeProvider']}`"
        lines.append(f"| `{p['id']}` | {title} | {cell(fields_of(p))} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def main(argv):
    if not argv or len(argv) not in (1, 3) or (len(argv) == 3 and argv[1] != "--update"):
        sys.stderr.write(__doc__)
        return 64
    source = sys.stdin if argv[0] == "-" else open(argv[0], encoding="utf-8")
    text = table(json.load(source))
    if len(argv) == 1:
        sys.stdout.write(text)
        return 0
    with open(argv[2], encoding="utf-8") as readme:
        content = readme.read()
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n", re.S)
    if not pattern.search(content):
        sys.stderr.write(f"{argv[2]} has no {BEGIN} ... {END} markers\n")
        return 1
    with open(argv[2], "w", encoding="utf-8") as readme:
        readme.write(pattern.sub(lambda _: text, content, count=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
