"""Certkeeper's bridge to lexicon (dns-lexicon), run by certkeeper-service with the interpreter
lexicon itself runs with. The service feeds this file on standard input ("python3 - ARGS"), so
it needs no path of its own; it can also be run as a file, e.g. by tools/lexicon-providers.py.

  catalogue [FILE]
      JSON into FILE (stdout without one: the list is longer than the service keeps of a
      program's output): lexicon's version and, for every provider module, its name, the first
      line of its docstring, whether its Python dependencies are installed, and the options its
      provider_parser() declares (name, command-line flag, help, default, whether it is a flag).

  run PROVIDER ACTION ZONE NAME CONTENT      ACTION: create, delete or list
      One change through lexicon's library (not its command line): the zone is given as it is,
      where lexicon's CLI would derive it from the public suffix list (which mangles zones under
      .test, .internal or a private suffix, and may fetch the list from the internet). The
      credentials come from the environment only, LEXICON_<PROVIDER>_<OPTION>, as lexicon reads
      them. "delete" removes exactly CONTENT and succeeds when it is not there. The last line on
      stdout is a JSON object with "ok"; errors go to stderr and exit with code 2.
"""

import sys

# The script comes from stdin, so sys.path[0] is the working directory: nothing there may
# stand in for lexicon's modules.
sys.path = [p for p in sys.path if p not in ("", ".")]

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402


def first_line(text):
    for line in (text or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def catalogue(path):
    import warnings

    # Deprecation notices of the modules imported here are not the service's business.
    warnings.simplefilter("ignore")
    from lexicon import discovery

    providers = []
    for name, available in sorted(discovery.find_providers().items()):
        entry = {"name": name, "available": bool(available)}
        try:
            module = importlib.import_module("lexicon.providers." + name)
            parser = argparse.ArgumentParser(add_help=False)
            module.provider_parser(parser)
        except Exception as error:  # a provider whose module does not load is reported
            entry["error"] = f"{type(error).__name__}: {error}"
            entry["available"] = False
            providers.append(entry)
            continue
        entry["doc"] = first_line(module.__doc__)
        options = []
        for action in parser._actions:
            if not action.option_strings:
                continue
            default = action.default
            is_flag = action.nargs == 0
            options.append(
                {
                    "name": action.dest,
                    "flag": action.option_strings[-1],
                    "help": " ".join((action.help or "").split()),
                    "default": "" if default in (None, False) else str(default),
                    "isFlag": is_flag,
                    "choices": [str(c) for c in (action.choices or [])],
                }
            )
        entry["options"] = options
        providers.append(entry)
    text = json.dumps({"lexiconVersion": discovery.lexicon_version(), "providers": providers},
                      separators=(",", ":"))
    if path:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")


def run(provider_name, action, zone, name, content):
    from lexicon.config import ConfigResolver, DictConfigSource

    zone = zone.rstrip(".").lower()
    name = name.rstrip(".").lower()
    if name != zone and not name.endswith("." + zone):
        raise ValueError(f"the record {name} is not inside the zone {zone}")
    config = ConfigResolver()
    config.add_config_source(
        DictConfigSource(
            {"provider_name": provider_name, "action": action, "domain": zone, "type": "TXT"}
        )
    )
    config.with_env()
    module = importlib.import_module("lexicon.providers." + provider_name)
    provider = module.Provider(config)
    provider.authenticate()
    if action == "create":
        provider.create_record("TXT", name, content)
        result = {"ok": True, "done": "created"}
    elif action == "delete":
        present = [r for r in provider.list_records("TXT", name, content) or []
                   if r.get("content", "").strip('"') == content]
        if present:
            provider.delete_record(None, "TXT", name, content)
        result = {"ok": True, "done": "deleted" if present else "absent"}
    elif action == "list":
        records = provider.list_records("TXT", None, None) or []
        result = {
            "ok": True,
            "done": "listed",
            "records": [{"name": r.get("name", ""), "content": r.get("content", "")}
                        for r in records],
        }
    else:
        raise ValueError(f"unknown action {action}")
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


def main(argv):
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if argv[:1] == ["catalogue"] and len(argv) <= 2:
        catalogue(argv[1] if len(argv) == 2 else None)
        return 0
    if argv[:1] == ["run"] and len(argv) == 6:
        try:
            run(*argv[1:])
        except Exception as error:  # lexicon's own words, for the service's error message
            text = " ".join(str(error).split()) or "no message"
            sys.stderr.write(f"error: {type(error).__name__}: {text}\n")
            return 2
        return 0
    sys.stderr.write("usage: certkeeper_lexicon.py catalogue [FILE] | run PROVIDER ACTION ZONE NAME "
                     "CONTENT\n")
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
