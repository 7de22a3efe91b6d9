#!/usr/bin/env bash
# Fails when a C++ source or header does not follow .clang-format; `make format` fixes them.
#   tests/check_format.sh CLANG_FORMAT     (run from the repository's root, as ctest does)
set -euo pipefail
clang_format=${1:-clang-format}
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files '*.cpp' '*.h')
else
    mapfile -t files < <(find app service shared tests packaging -name '*.cpp' -o -name '*.h')
fi
if ! "$clang_format" --dry-run --Werror "${files[@]}" 2>/tmp/format_check.$$; then
    grep -E '^[^ ].*: (error|warning):' /tmp/format_check.$$ | cut -d: -f1 | sort -u |
        sed 's/^/not formatted: /'
    echo "run 'make format' to format them" >&2
    rm -f /tmp/format_check.$$
    exit 1
fi
rm -f /tmp/format_check.$$
echo "${#files[@]} files follow .clang-format"
