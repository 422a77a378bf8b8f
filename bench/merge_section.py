#!/usr/bin/env python3
"""Puts one part's figures into BENCHMARKS.md without touching the others'
(bench/run.sh, a part run alone): its section ("## N. Title" up to the next
"## ") is replaced or added before "## Notes on the method", and its line in
"Results at a glance" (matched by the text before its first " | ") is
replaced or added at the end of that table.

    merge_section.py BENCHMARKS.md SECTION_FILE GLANCE_FILE "how it was run"
"""
import sys


def put_glance(lines, glance):
    """Replaces the line of "Results at a glance" with glance's first cell,
    or adds glance at the end of that table."""
    if not glance:
        return
    key = glance.split(' | ')[0]
    old = next((i for i, l in enumerate(lines) if l.split(' | ')[0] == key), None)
    if old is not None:
        lines[old] = glance
    elif '## Results at a glance' in lines:
        j = lines.index('## Results at a glance') + 1
        while j < len(lines) and not lines[j].startswith('|'):
            j += 1
        while j < len(lines) and lines[j].startswith('|'):
            j += 1
        lines.insert(j, glance)


def main(path, section_file, glance_file, note):
    doc = open(path, encoding='utf-8').read()
    section = open(section_file, encoding='utf-8').read().strip('\n')
    glance = open(glance_file, encoding='utf-8').read().strip('\n')
    if not section:
        return
    head, _, body = section.partition('\n')
    section = '%s\n\n(%s.)\n%s\n\n' % (head, note, body)
    lines = doc.split('\n')

    # The section.
    start = next((i for i, l in enumerate(lines) if l == head), None)
    if start is not None:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith('## ')), len(lines))
        lines[start:end] = section.split('\n')[:-1]
    else:
        at = next((i for i, l in enumerate(lines) if l == '## Notes on the method'), len(lines))
        lines[at:at] = section.split('\n')[:-1]

    put_glance(lines, glance)
    open(path, 'w', encoding='utf-8').write('\n'.join(lines))


if __name__ == '__main__':
    main(*sys.argv[1:5])
