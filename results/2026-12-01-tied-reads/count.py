# Distinct passed seeds per mode, from the chunk outputs NAME-FIRST.out (a chunk counts only if all its 50 passed;
# a chunk with failures is listed).
import glob, re, collections
passed = collections.defaultdict(set)
partial = []
for f in glob.glob('/tmp/tied-torture/*-*.out'):
    m = re.match(r'/tmp/tied-torture/(abd-client|abd-replica|craq)(?:-x?\d+)?-(\d+)\.out', f)
    if not m: continue
    mode, first = m.group(1), int(m.group(2))
    text = open(f).read()
    r = re.search(r'(\d+) of (\d+) seeds passed', text)
    if r and r.group(1) == r.group(2) == '50':
        passed[mode].update(range(first, first + 50))
    elif r:
        partial.append((f, r.group(0)))
for mode in sorted(passed):
    print(mode, len(passed[mode]), 'distinct seeds passed, range', min(passed[mode]), '-', max(passed[mode]))
print('chunks with failures:', partial)
