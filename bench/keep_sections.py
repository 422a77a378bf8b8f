#!/usr/bin/env python3
"""Carries the sections of parts that run alone (fuzz, soak) from the
previous BENCHMARKS.md into the one a full run has just written, which
knows nothing of them: each section ("## N. Title" up to the next "## ")
whose title starts with one of the prefixes, and the line in "Results at a
glance" whose first cell starts with the matching glance prefix. A section
the new file already has is left as it is.

    keep_sections.py PREVIOUS NEW "## 10. Fuzzing=fuzzing:" ...
"""
import sys

from merge_section import put_glance


def section(lines, prefix):
    start = next((i for i, l in enumerate(lines) if l.startswith(prefix)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith('## ')), len(lines))
    return lines[start:end]


def main(previous, new, pairs):
    old = open(previous, encoding='utf-8').read().split('\n')
    lines = open(new, encoding='utf-8').read().split('\n')
    for pair in pairs:
        head, _, glance = pair.partition('=')
        kept = section(old, head)
        if kept is None or section(lines, head) is not None:
            continue
        at = next((i for i, l in enumerate(lines) if l == '## Notes on the method'), len(lines))
        lines[at:at] = kept
        line = next((l for l in old if glance and l.startswith('| ' + glance)), None)
        if line:
            put_glance(lines, line)
    open(new, 'w', encoding='utf-8').write('\n'.join(lines))


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
