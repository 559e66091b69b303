#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""check_igt_lib.py - host-side checker of svmgpu's IGT-compatible test
library (tests/lib).

Runs the self-test binaries of tests/lib/tests and compares what they print
and exit with against the contract in docs/testing.md. One group
of checks per invocation, so that meson reports each rule area as its own
test:

    check_igt_lib.py GROUP BINARY...

BINARY are the paths of the self-test binaries (meson passes all of them);
they are found by basename. Exit status 0 when every check of GROUP holds,
1 otherwise, with one line per failed check on stderr.
"""

import os
import pty
import re
import select
import signal
import subprocess
import sys
import tempfile

RESULT_RE = re.compile(
    r'^(Subtest|Dynamic subtest) ([A-Za-z0-9_-]+): '
    r'(SUCCESS|SKIP|FAIL|CRASH) \((\d+\.\d{3})s\)$')
VERSION_RE = re.compile(r'^IGT-Version: svmgpu-\d+\.\d+\.\d+\S*$')

CORE_SUBTESTS = [
    'pass', 'pass-explicit', 'formatted-7', 'asserts-pass', 'warn',
    'skip', 'skip-errno', 'skip-on', 'skip-plain',
    'fail', 'fail-errno', 'fail-u32', 'fail-u64', 'fail-s64', 'fail-on',
    'fail-log-dump',
    'dynamic-pass', 'dynamic-fail', 'dynamic-none', 'dynamic-all-skip',
    'dynamic-require', 'dynamic-container-assert',
    'fork-pass', 'fork-fail', 'fork-crash', 'fork-skip', 'fork-leftover',
    'no-children',
    'exit-handler', 'exit-handler-fork', 'exit-handler-fail',
]
FIXTURE_SUBTESTS = [
    'before', 'skipped-a', 'skipped-b', 'failed-a', 'failed-nested',
    'failed-after-nested', 'after-groups', 'undocumented-in-group',
    'undocumented',
]
CORE_DESCRIPTION = ("Self-test of svmgpu's IGT-compatible test library: "
                    "subtests with known results, checked by "
                    "check_igt_lib.py.")
AFTER_GROUPS_DESCRIPTION = (
    "Runs after the groups, with its own fixture; this description is long "
    "enough to be wrapped at eighty columns by --describe, which indents it "
    "by two spaces.")

BINARIES = {}
FAILURES = []
KMSG_DIR = tempfile.mkdtemp(prefix='igt-lib-kmsg-')


class Run:
    """Outcome of one run of a self-test binary."""

    def __init__(self, name, args, rc, out, err, pid, kmsg):
        self.name = name
        self.args = args
        self.rc = rc
        self.out = out
        self.err = err
        self.pid = pid
        self.kmsg = kmsg

    @property
    def lines(self):
        return self.out.splitlines()

    @property
    def err_lines(self):
        return self.err.splitlines()

    def prefix(self, level):
        """The `(<prog>:<pid>) LEVEL: ` prefix of this run's log lines."""
        return '(%s:%d) %s: ' % (self.name, self.pid, level)

    def results(self, kind='Subtest'):
        """[(name, RESULT, seconds)] of the result lines of @kind on stdout."""
        found = []
        for line in self.lines:
            m = RESULT_RE.match(line)
            if m and m.group(1) == kind:
                found.append((m.group(2), m.group(3), m.group(4)))
        return found

    def result_of(self, name, kind='Subtest'):
        for sub, result, _ in self.results(kind):
            if sub == name:
                return result
        return None

    def started(self, kind='subtest'):
        prefix = 'Starting %s: ' % kind
        return [line[len(prefix):] for line in self.lines
                if line.startswith(prefix)]

    def __str__(self):
        return '%s %s' % (self.name, ' '.join(self.args))


def base_env(extra=None):
    """Environment of a run: no inherited IGT knobs, markers to a file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('IGT_')}
    env.pop('SELFTEST_MODE', None)
    if extra:
        env.update(extra)
    return env


def run(name, *args, env=None, tty=False, timeout=30):
    """Run self-test binary @name with @args and collect everything."""
    path = BINARIES[name]
    kmsg = os.path.join(KMSG_DIR, 'kmsg.txt')
    if os.path.exists(kmsg):
        os.unlink(kmsg)
    full_env = base_env(env)
    full_env['IGT_KMSG_PATH'] = kmsg
    if tty:
        out, err, rc, pid = run_on_tty(path, args, full_env, timeout)
    else:
        proc = subprocess.Popen([path] + list(args), env=full_env,
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        pid = proc.pid
        out, err = proc.communicate(timeout=timeout)
        out, err, rc = out.decode(), err.decode(), proc.returncode
    text = ''
    if os.path.exists(kmsg):
        with open(kmsg) as f:
            text = f.read()
    return Run(name, list(args), rc, out, err, pid, text)


def run_on_tty(path, args, env, timeout):
    """Run with stdout on a pseudo-terminal (for the colour rule)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([path] + list(args), env=env,
                            stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = proc.stderr.read().decode()
    proc.wait(timeout=timeout)
    out = b''.join(chunks).decode().replace('\r\n', '\n')
    return out, err, proc.returncode, proc.pid


def check(cond, what, r=None):
    """Record a failed check; @r adds the run's output to the report."""
    if cond:
        return True
    msg = 'FAIL: ' + what
    if r is not None:
        msg += '\n  run: %s\n  rc: %s\n  stdout:\n%s\n  stderr:\n%s' % (
            r, r.rc, indent(r.out), indent(r.err))
    FAILURES.append(msg)
    return False


def indent(text):
    return '\n'.join('    | ' + line for line in text.splitlines())


def check_rc(r, rc):
    check(r.rc == rc, 'exit code %s, expected %s' % (r.rc, rc), r)


def check_version_line(r):
    check(bool(r.lines) and VERSION_RE.match(r.lines[0]) is not None,
          'first line is IGT-Version: svmgpu-<version>', r)


def check_in(needle, haystack, what, r):
    check(needle in haystack, '%s: %r not found' % (what, needle), r)


def check_not_in(needle, haystack, what, r):
    check(needle not in haystack, '%s: %r present' % (what, needle), r)


def lines_after(lines, start):
    """Lines following the first one equal to @start."""
    if start not in lines:
        return []
    return lines[lines.index(start) + 1:]


# ---- groups ----------------------------------------------------------------

def group_options():
    for opt in ('--help', '-h'):
        r = run('igt_selftest_core', opt)
        check_rc(r, 0)
        check(r.lines[:1] == ['Usage: igt_selftest_core [OPTIONS]'],
              '%s prints the usage on stdout' % opt, r)
        for name in ('--list-subtests', '--show-testlist',
                     '--run-subtest <pattern>', '--dynamic-subtest <pattern>',
                     '--describe', '--debug', '--help|-h'):
            check_in(name, r.out, '%s lists options' % opt, r)
        check(r.err == '', '%s: nothing on stderr' % opt, r)

    for args in (['--bogus'], ['-x'], ['--run-subtest'], ['stray-argument'],
                 ['--list-subtests', 'stray']):
        r = run('igt_selftest_core', *args)
        check_rc(r, 79)
        check(r.out == '', 'bad command line: nothing on stdout', r)
        check_in('Usage: igt_selftest_core [OPTIONS]', r.err,
                 'bad command line: usage on stderr', r)
        check(r.kmsg == '', 'bad command line: no kernel log marker', r)

    r = run('igt_selftest_core', '--version')
    check_rc(r, 0)
    check(len(r.lines) == 1 and VERSION_RE.match(r.lines[0]) is not None,
          '--version prints the IGT-Version line', r)
    check('svmgpu-dev' not in r.out,
          'the version comes from meson (-DSVMGPU_VERSION)', r)

    r = run('igt_selftest_core', '--help-description')
    check_rc(r, 0)
    check(' '.join(r.lines) == CORE_DESCRIPTION,
          '--help-description prints IGT_TEST_DESCRIPTION', r)

    r = run('igt_selftest_core', '--run-subtest', 'pass')
    check_version_line(r)


def group_listing():
    r = run('igt_selftest_core', '--list-subtests')
    check_rc(r, 0)
    check(r.lines == CORE_SUBTESTS, '--list-subtests lists every subtest '
          'in order, nothing else', r)
    check(r.err == '', '--list-subtests: nothing on stderr', r)
    check(r.kmsg == '', '--list-subtests: no kernel log marker', r)

    r = run('igt_selftest_fixture', '--list-subtests')
    check_rc(r, 0)
    check(r.lines == FIXTURE_SUBTESTS,
          '--list-subtests lists subtests of groups, fixtures not run', r)

    r = run('igt_selftest_core', '--show-testlist')
    check_rc(r, 0)
    check(r.lines == ['igt@igt_selftest_core@' + s for s in CORE_SUBTESTS],
          '--show-testlist prints igt@<binary>@<subtest> lines', r)

    r = run('igt_selftest_core', '--list-subtests', '--run-subtest', 'fail*')
    check_rc(r, 0)
    check(r.lines == [s for s in CORE_SUBTESTS if s.startswith('fail')],
          '--list-subtests honours --run-subtest', r)

    r = run('igt_selftest_invalid', '--list-subtests')
    check_rc(r, 0)
    check(r.out == '', 'binary with no subtest lists nothing', r)

    r = run('igt_selftest_simple', '--list-subtests')
    check_rc(r, 79)
    check(r.out == '', '--list-subtests without subtests prints nothing', r)


def parse_describe(lines):
    """{name: (location, [text lines])} of --describe output."""
    blocks = {}
    current = None
    for line in lines:
        m = re.match(r'^SUB (\S+) (\S+:\d+):$', line)
        if m:
            current = m.group(1)
            blocks[current] = (m.group(2), [])
        elif current is not None:
            blocks[current][1].append(line)
    return blocks


def group_describe():
    r = run('igt_selftest_core', '--describe')
    check_rc(r, 0)
    head = r.lines[:r.lines.index('')] if '' in r.lines else []
    check(' '.join(head) == CORE_DESCRIPTION,
          '--describe starts with the test description, then a blank line', r)
    blocks = parse_describe(r.lines)
    check(list(blocks) == CORE_SUBTESTS, '--describe has one SUB block per '
          'subtest, in order', r)
    if 'pass' in blocks:
        loc, text = blocks['pass']
        check(re.match(r'^\S*igt_selftest_core\.c:\d+$', loc) is not None,
              'SUB line carries <file>:<line>:', r)
        check(text == ['  A subtest that passes.', ''],
              'description indented by two spaces, then a blank line', r)
    if 'formatted-7' in blocks:
        check(blocks['formatted-7'][1] == ['  NO DOCUMENTATION!', ''],
              'undocumented subtest shows NO DOCUMENTATION!', r)
    check(all(len(line) <= 80 for line in r.lines),
          '--describe wraps at 80 columns', r)
    check('Starting subtest' not in r.out and r.kmsg == '',
          '--describe runs nothing', r)

    r = run('igt_selftest_fixture', '--describe')
    check_rc(r, 0)
    blocks = parse_describe(r.lines)
    check('FIXTURE RAN' not in r.out, '--describe runs no fixture', r)
    if 'after-groups' in blocks:
        text = blocks['after-groups'][1]
        group = '  Group description, shared by the subtests of the group.'
        check(text[:2] == [group, ''],
              'group description comes first, for each subtest of the group',
              r)
        own = text[2:-1]
        check(all(line.startswith('  ') and len(line) <= 80 for line in own)
              and len(own) > 1
              and ' '.join(l.strip() for l in own) == AFTER_GROUPS_DESCRIPTION,
              'long description wrapped, each line indented by two spaces', r)
    if 'undocumented-in-group' in blocks:
        check(blocks['undocumented-in-group'][1][0].startswith('  Group '),
              'group description applies to every subtest of the group', r)
    if 'undocumented' in blocks:
        check(blocks['undocumented'][1] == ['  NO DOCUMENTATION!', ''],
              'group description ends with its group', r)

    r = run('igt_selftest_core', '--describe=pass*')
    check_rc(r, 0)
    check(list(parse_describe(r.lines)) == ['pass', 'pass-explicit'],
          '--describe=PATTERN describes the matching subtests only', r)

    r = run('igt_selftest_core', '--describe=nope')
    check_rc(r, 79)
    check_in('Unknown subtest: nope', r.err, '--describe=nomatch', r)


def group_selection():
    cases = [
        ('pass', ['pass'], 0),
        ('pas?', ['pass'], 0),
        ('formatted-[0-9]', ['formatted-7'], 0),
        ('pass,skip', ['pass', 'skip'], 0),
        ('skip,pass', ['pass', 'skip'], 0),
        ('skip*,!skip-on', ['skip', 'skip-errno', 'skip-plain'], 77),
        ('*,!*-*', ['pass', 'warn', 'skip', 'fail'], 98),
        ('fail*,!fail-*,pass', ['pass', 'fail'], 98),
        ('!pass,pass', ['pass'], 0),
    ]
    for pattern, expected, rc in cases:
        r = run('igt_selftest_core', '--run-subtest', pattern)
        check_rc(r, rc)
        check(r.started() == expected,
              '--run-subtest %r runs %s' % (pattern, expected), r)
        check([n for n, _, _ in r.results()] == expected,
              '--run-subtest %r reports %s' % (pattern, expected), r)

    for pattern in ('nope', '!pass', 'pass,!pass'):
        r = run('igt_selftest_core', '--run-subtest', pattern)
        check_rc(r, 79)
        check(r.started() == [], 'unknown subtest %r runs nothing' % pattern,
              r)
        check_in('Unknown subtest: %s' % pattern, r.err_lines,
                 'unknown subtest message', r)

    r = run('igt_selftest_core', '--run-subtest', 'dynamic-pass',
            '--dynamic-subtest', 'b')
    check_rc(r, 0)
    check(r.started('dynamic subtest') == ['b'],
          '--dynamic-subtest selects dynamic subtests', r)
    check(r.result_of('dynamic-pass') == 'SUCCESS',
          'container passes with its selected dynamic subtest', r)

    r = run('igt_selftest_core', '--run-subtest', 'dynamic-pass',
            '--dynamic-subtest', 'a,c-*')
    check(r.started('dynamic subtest') == ['a', 'c-1'],
          '--dynamic-subtest takes pattern lists', r)

    r = run('igt_selftest_core', '--run-subtest', 'dynamic-pass',
            '--dynamic-subtest', 'zzz')
    check_rc(r, 77)
    check(r.result_of('dynamic-pass') == 'SKIP',
          'container with no selected dynamic subtest skips', r)


def group_results():
    r = run('igt_selftest_core', '--run-subtest', 'pass')
    check_rc(r, 0)
    check(len(r.lines) == 4 and r.lines[1:3] == ['Starting subtest: pass',
                                                 'pass body']
          and RESULT_RE.match(r.lines[3]) is not None
          and r.lines[3].startswith('Subtest pass: SUCCESS ('),
          'IGT-Version, Starting subtest, body, '
          'Subtest <name>: SUCCESS (<s.mss>s)', r)
    check(r.err == '', 'a passing subtest prints nothing on stderr', r)

    for name in ('pass-explicit', 'formatted-7', 'asserts-pass'):
        r = run('igt_selftest_core', '--run-subtest', name)
        check_rc(r, 0)
        check(r.results() and r.results()[0][:2] == (name, 'SUCCESS'),
              '%s passes' % name, r)
        check(r.err == '', '%s: nothing on stderr' % name, r)

    for pattern, rc in (('skip', 77), ('fail', 98), ('pass,fail', 98),
                        ('pass,skip', 0), ('skip,skip-on', 77),
                        ('skip,fail', 98), ('fail,fail-errno', 98)):
        r = run('igt_selftest_core', '--run-subtest', pattern)
        check_rc(r, rc)

    r = run('igt_selftest_core', '--run-subtest', 'warn')
    check_rc(r, 0)
    check(r.err == r.prefix('WARNING') + 'a warning\n',
          'igt_warn prints "(<prog>:<pid>) WARNING: " on stderr', r)


def group_skip_format():
    r = run('igt_selftest_core', '--run-subtest', 'skip')
    body = lines_after(r.lines, 'Starting subtest: skip')
    check(len(body) == 3 and re.match(
        r'^Test requirement not met in function __igt_main_body, '
        r'file \S*igt_selftest_core\.c:\d+:$', body[0]) is not None
        and body[1] == 'Test requirement: 1 == 2'
        and body[2].startswith('Subtest skip: SKIP ('),
        'skip: requirement lines on stdout, no Last errno when errno is 0',
        r)
    check(r.err == '', 'a skip prints nothing on stderr', r)

    r = run('igt_selftest_core', '--run-subtest', 'skip-errno')
    body = lines_after(r.lines, 'Starting subtest: skip-errno')
    check(body[1:4] == ['Test requirement: false', 'explanation 42',
                        'Last errno: 2, No such file or directory'],
          'igt_require_f: explanation, then Last errno: <n>, <strerror>', r)

    r = run('igt_selftest_core', '--run-subtest', 'skip-on')
    check_in('Test requirement: !(1 + 1 == 2)', r.lines,
             'igt_skip_on negates the condition', r)

    r = run('igt_selftest_core', '--run-subtest', 'skip-plain')
    body = lines_after(r.lines, 'Starting subtest: skip-plain')
    check(body[:1] == ['plain skip reason here']
          and body[1].startswith('Subtest skip-plain: SKIP ('),
          'igt_skip prints its message, then SKIP', r)


def check_failure_lines(r, name, expected_lines):
    """stderr = CRITICAL lines, 'Subtest <name> failed.', log dump."""
    err = r.err_lines
    crit = r.prefix('CRITICAL')
    check(len(err) > 2 and re.match(
        re.escape(crit) + r'Test assertion failure function __igt_main_body, '
        r'file \S*igt_selftest_\w+\.c:\d+:$', err[0]) is not None,
        '%s: "CRITICAL: Test assertion failure function <f>, file '
        '<file>:<line>:"' % name, r)
    check(err[1:1 + len(expected_lines)] ==
          [crit + line for line in expected_lines],
          '%s: CRITICAL lines %s' % (name, expected_lines), r)
    tail = err[1 + len(expected_lines):]
    check(tail[:2] == ['Subtest %s failed.' % name, '**** DEBUG ****']
          and tail[-1] == '****  END  ****',
          '%s: "Subtest <name> failed." and the log dump' % name, r)
    check(r.result_of(name) == 'FAIL', '%s: FAIL result line' % name, r)
    check_rc(r, 98)


def group_fail_format():
    cases = {
        'fail': ['Failed assertion: a == 4', 'error: 3 != 4'],
        'fail-errno': ['Failed assertion: false',
                       'Last errno: 22, Invalid argument',
                       'extra message 7'],
        'fail-u32': ['Failed assertion: 0x10u == 0x20u',
                     'error: 0x10 != 0x20'],
        'fail-u64': ['Failed assertion: 1ull << 40 < 0x10',
                     'error: 0x10000000000 >= 0x10'],
        'fail-s64': ['Failed assertion: -5 >= 5', 'error: -5 < 5'],
        'fail-on': ['Failed assertion: !(1 == 1)'],
    }
    for name, expected in cases.items():
        r = run('igt_selftest_core', '--run-subtest', name)
        check_failure_lines(r, name, expected)

    r = run('igt_selftest_core', '--run-subtest', 'fail-log-dump')
    check_in('info line', r.lines, 'igt_info on stdout', r)
    check_not_in('hidden debug line', r.out,
                 'igt_debug hidden without --debug', r)
    dump = lines_after(r.err_lines, '**** DEBUG ****')
    check_in(r.prefix('DEBUG') + 'hidden debug line\n', '\n'.join(dump) + '\n',
             'the log dump has the hidden debug line', r)
    check_in(r.prefix('INFO') + 'info line', dump,
             'the log dump has the info line', r)


def group_dynamic():
    r = run('igt_selftest_core', '--run-subtest', 'dynamic-pass')
    check_rc(r, 0)
    check(r.started('dynamic subtest') == ['a', 'b', 'c-1'],
          'Starting dynamic subtest: <name> lines', r)
    check([x[:2] for x in r.results('Dynamic subtest')] ==
          [('a', 'SUCCESS'), ('b', 'SUCCESS'), ('c-1', 'SKIP')],
          'Dynamic subtest <name>: <RESULT> (<t>s) lines', r)
    check(r.result_of('dynamic-pass') == 'SUCCESS',
          'container passes: one passed, none failed', r)
    check(r.lines[-1].startswith('Subtest dynamic-pass: SUCCESS'),
          'container result comes last', r)

    r = run('igt_selftest_core', '--run-subtest', 'dynamic-fail')
    check_rc(r, 98)
    check([x[:2] for x in r.results('Dynamic subtest')] ==
          [('ok', 'SUCCESS'), ('bad', 'FAIL'), ('after', 'SUCCESS')],
          'a failed dynamic subtest does not stop the next ones', r)
    check(r.result_of('dynamic-fail') == 'FAIL',
          'container fails when a dynamic subtest failed', r)
    check_in('Dynamic subtest bad failed.', r.err_lines,
             'dynamic failure announced on stderr', r)
    check_not_in('Subtest dynamic-fail failed.', r.err_lines,
                 'no log dump for the container itself', r)

    r = run('igt_selftest_core', '--run-subtest', 'dynamic-none')
    check_rc(r, 77)
    check_in('No dynamic tests executed.', r.lines, 'empty container', r)
    check(r.result_of('dynamic-none') == 'SKIP', 'empty container skips', r)

    r = run('igt_selftest_core', '--run-subtest', 'dynamic-all-skip')
    check_rc(r, 77)
    check(r.result_of('dynamic-all-skip') == 'SKIP',
          'container whose dynamic subtests all skipped skips', r)

    r = run('igt_selftest_core', '--run-subtest', 'dynamic-require')
    check_rc(r, 77)
    check(r.started('dynamic subtest') == [] and
          r.result_of('dynamic-require') == 'SKIP',
          'igt_require in the container skips it', r)

    r = run('igt_selftest_core', '--run-subtest', 'dynamic-container-assert')
    check_rc(r, 98)
    check(r.result_of('dynamic-container-assert') == 'FAIL',
          'an assert in the container body still fails it', r)


def group_fixture():
    r = run('igt_selftest_fixture')
    check_rc(r, 98)
    check([x[:2] for x in r.results()] == [
        ('before', 'SUCCESS'), ('skipped-a', 'SKIP'), ('skipped-b', 'SKIP'),
        ('failed-a', 'FAIL'), ('failed-nested', 'FAIL'),
        ('failed-after-nested', 'FAIL'), ('after-groups', 'SUCCESS'),
        ('undocumented-in-group', 'SUCCESS'), ('undocumented', 'SUCCESS')],
        'fixture skip skips its group, fixture failure fails it, '
        'nothing else', r)
    for name, _, secs in r.results():
        if name.startswith(('skipped-', 'failed-')):
            check(secs == '0.000', '%s reported with (0.000s)' % name, r)
    check(r.started() == ['before', 'after-groups', 'undocumented-in-group',
                          'undocumented'],
          'subtests of a broken group print only their result line', r)
    check_in('Test requirement: false', r.lines, 'fixture skip message', r)
    check_in('fixture needs nothing', r.lines, 'fixture skip message', r)
    check_in(r.prefix('CRITICAL') + 'fixture broke', r.err_lines,
             'fixture failure message', r)
    check_in('Test igt_selftest_fixture failed.', r.err_lines,
             'fixture failure log dump', r)
    check('FIXTURE RAN' in r.out and 'TEARDOWN RAN' in r.out,
          'fixtures outside the broken groups run', r)
    check(' ran' not in r.err, 'bodies of broken groups do not run', r)

    ok = {'SELFTEST_FIXTURE_OK': '1'}
    r = run('igt_selftest_fixture', '--run-subtest', 'skipped-*', env=ok)
    check_rc(r, 77)
    check([x[:2] for x in r.results()] == [('skipped-a', 'SKIP'),
                                           ('skipped-b', 'SKIP')],
          'fixture skip with --run-subtest', r)

    # As in IGT, every fixture runs whatever --run-subtest selects: a
    # failing fixture fails the binary even if none of its subtests ran.
    r = run('igt_selftest_fixture', '--run-subtest', 'skipped-*')
    check_rc(r, 98)
    check([x[:2] for x in r.results()] == [('skipped-a', 'SKIP'),
                                           ('skipped-b', 'SKIP')],
          'an unselected group does not report its subtests', r)

    r = run('igt_selftest_fixture', '--run-subtest', 'failed-nested')
    check_rc(r, 98)
    check(r.results()[:1] == [('failed-nested', 'FAIL', '0.000')],
          'fixture failure reaches nested groups', r)

    r = run('igt_selftest_fixture', '--run-subtest', 'before,after-groups',
            env=ok)
    check_rc(r, 0)
    check([x[:2] for x in r.results()] == [('before', 'SUCCESS'),
                                           ('after-groups', 'SUCCESS')],
          'a fixture skip does not leak out of its group', r)


CRASHES = [
    ('segv', signal.SIGSEGV, 'SIGSEGV'),
    ('abort', signal.SIGABRT, 'SIGABRT'),
    ('fpe', signal.SIGFPE, 'SIGFPE'),
    ('dynamic-crash', signal.SIGBUS, 'SIGBUS'),
]


def group_crash():
    for name, sig, signame in CRASHES:
        r = run('igt_selftest_crash', '--run-subtest', name + ',after')
        check(r.rc == -sig, '%s: dies of %s' % (name, signame), r)
        check_in('Received signal %s.' % signame, r.err_lines,
                 '%s: signal named on stderr' % name, r)
        check(r.result_of(name) == 'CRASH',
              '%s: Subtest <name>: CRASH line' % name, r)
        check(r.lines.count('exit handler: signal %02d' % sig) == 1,
              '%s: exit handler runs once, with the signal' % name, r)
        check('after' not in r.started(), '%s: nothing runs after a crash'
              % name, r)
        check_in('<6>[IGT] igt_selftest_crash: finished subtest %s, CRASH\n'
                 % name, r.kmsg, '%s: kernel log marker' % name, r)
        check_in('<6>[IGT] igt_selftest_crash: exiting, ret=%d\n'
                 % (128 + sig), r.kmsg, '%s: exiting marker' % name, r)

    r = run('igt_selftest_crash', '--run-subtest', 'dynamic-crash')
    check(r.results('Dynamic subtest')[-1:] and
          r.results('Dynamic subtest')[-1][:2] == ('boom', 'CRASH'),
          'crash in a dynamic subtest reports the dynamic subtest', r)
    check(r.lines[-2:-1] and r.lines[-2].startswith(
        'Subtest dynamic-crash: CRASH'),
        'then its container', r)

    r = run('igt_selftest_crash', '--run-subtest', 'term')
    check(r.rc == -signal.SIGTERM, 'SIGTERM: dies of SIGTERM', r)
    check('CRASH' not in r.out and 'Received signal' not in r.err,
          'SIGTERM is not a crash', r)
    check(r.lines.count('exit handler: signal 15') == 1,
          'SIGTERM runs the exit handler once', r)

    # As a shell sees it: 128 + signal.
    path = BINARIES['igt_selftest_crash']
    env = base_env({'IGT_KMSG_PATH': os.path.join(KMSG_DIR, 'sh-kmsg.txt')})
    out = subprocess.run(['sh', '-c', '"$0" --run-subtest segv '
                          '>/dev/null 2>&1; echo $?', path],
                         env=env, capture_output=True, text=True).stdout
    check(out.strip() == '139', 'shell exit status of a SIGSEGV crash is 139 '
          '(got %r)' % out.strip())


def group_fork():
    r = run('igt_selftest_core', '--run-subtest', 'fork-pass')
    check_rc(r, 0)
    check(r.result_of('fork-pass') == 'SUCCESS', 'children that pass', r)

    r = run('igt_selftest_core', '--run-subtest', 'fork-fail')
    check_rc(r, 98)
    check(r.result_of('fork-fail') == 'FAIL', 'a failing child fails', r)
    check_in('child 1 failed with exit status 98', r.lines,
             'which child failed', r)
    child_crit = [l for l in r.err_lines
                  if re.match(r'^\(igt_selftest_core:(\d+)\) CRITICAL: '
                              r'error: 1 != 0$', l)]
    check(len(child_crit) >= 1 and
          '(igt_selftest_core:%d)' % r.pid not in child_crit[0],
          "the child's assertion is printed with the child's pid", r)

    r = run('igt_selftest_core', '--run-subtest', 'fork-crash')
    check_rc(r, 128 + signal.SIGSEGV)
    check(r.result_of('fork-crash') == 'FAIL',
          'a crashing child fails the subtest (no CRASH of the parent)', r)
    check_in('child 0 died with signal 11, Segmentation fault', r.lines,
             'which child died of what', r)
    check_in('Received signal SIGSEGV.', r.err_lines,
             'the child announces its signal', r)

    r = run('igt_selftest_core', '--run-subtest', 'fork-leftover,no-children')
    check([x[:2] for x in r.results()] == [('fork-leftover', 'FAIL'),
                                           ('no-children', 'SUCCESS')],
          'children of a failed subtest are killed and reaped', r)

    r = run('igt_selftest_core', '--run-subtest', 'fork-skip')
    check_rc(r, 98)
    check(r.result_of('fork-skip') == 'FAIL', 'a skip in a child fails', r)
    check_in('not allowed in igt_fork children', r.err,
             'a skip in a child is explained', r)


def group_exit_handler():
    r = run('igt_selftest_core', '--run-subtest', 'exit-handler')
    check_rc(r, 0)
    check(r.lines[-2:] == ['second exit handler: exit',
                           'first exit handler: exit'],
          'exit handlers run at exit, last installed first, each once', r)

    r = run('igt_selftest_core', '--run-subtest', 'exit-handler-fork')
    check_rc(r, 0)
    check(r.lines.count('first exit handler: exit') == 1,
          'igt_fork children do not run the exit handlers', r)

    r = run('igt_selftest_core', '--run-subtest', 'exit-handler-fail')
    check_rc(r, 98)
    check(r.result_of('exit-handler-fail') == 'SUCCESS' and
          r.lines.count('failing exit handler') == 1,
          'an assert in an exit handler ends the binary with 98, once', r)


def group_simple():
    r = run('igt_selftest_simple')
    check_rc(r, 0)
    check_version_line(r)
    check(re.match(r'^SUCCESS \(\d+\.\d{3}s\)$', r.lines[-1]) is not None,
          'simple test ends with SUCCESS (<t>s)', r)

    r = run('igt_selftest_simple', env={'SELFTEST_MODE': 'skip'})
    check_rc(r, 77)
    check_in('simple skip', r.lines, 'simple skip message', r)
    check(re.match(r'^SKIP \(\d+\.\d{3}s\)$', r.lines[-1]) is not None,
          'simple test ends with SKIP (<t>s)', r)

    r = run('igt_selftest_simple', env={'SELFTEST_MODE': 'fail'})
    check_rc(r, 98)
    check(re.match(r'^FAIL \(\d+\.\d{3}s\)$', r.lines[-1]) is not None,
          'simple test ends with FAIL (<t>s)', r)
    check_in(r.prefix('CRITICAL') + 'Failed assertion: 1 == 2', r.err_lines,
             'simple failure message', r)
    check_in('Test igt_selftest_simple failed.', r.err_lines,
             'simple failure log dump', r)

    r = run('igt_selftest_simple', '--run-subtest', 'x')
    check_rc(r, 79)
    check_in('Unknown subtest: x', r.err_lines, 'no subtests to run', r)

    r = run('igt_selftest_simple', '--show-testlist')
    check_rc(r, 0)
    check(r.lines == ['igt@igt_selftest_simple'], '--show-testlist', r)


def group_kmsg():
    r = run('igt_selftest_core', '--run-subtest', 'pass,skip,dynamic-pass')
    prefix = '<6>[IGT] igt_selftest_core: '
    expected = [
        'executing',
        'starting subtest pass', 'finished subtest pass, SUCCESS',
        'starting subtest skip', 'finished subtest skip, SKIP',
        'starting subtest dynamic-pass',
        'starting dynamic subtest a', 'finished subtest a, SUCCESS',
        'starting dynamic subtest b', 'finished subtest b, SUCCESS',
        'starting dynamic subtest c-1', 'finished subtest c-1, SKIP',
        'finished subtest dynamic-pass, SUCCESS',
        'exiting, ret=0',
    ]
    check(r.kmsg.splitlines() == [prefix + e for e in expected],
          'kernel log markers, each with the info-level <6> prefix', r)
    check(r.kmsg.endswith('\n'), 'markers end with a newline', r)

    r = run('igt_selftest_fixture', '--run-subtest', 'skipped-a,failed-a')
    check(r.kmsg.splitlines() == [
        '<6>[IGT] igt_selftest_fixture: executing',
        '<6>[IGT] igt_selftest_fixture: exiting, ret=98'],
        'no markers for subtests of a broken group', r)

    r = run('igt_selftest_core', '--run-subtest', 'fail')
    check(r.kmsg.splitlines()[-2:] == [prefix + 'finished subtest fail, FAIL',
                                       prefix + 'exiting, ret=98'],
          'FAIL marker and exit code', r)

    for args in (['--list-subtests'], ['--show-testlist'], ['--describe'],
                 ['--help']):
        r = run('igt_selftest_core', *args)
        check(r.kmsg == '', '%s writes no kernel log marker' % args[0], r)


def group_sentinel():
    r = run('igt_selftest_core', '--run-subtest', 'pass')
    check(r.err == '', 'no sentinel without IGT_SENTINEL_ON_STDERR', r)

    env = {'IGT_SENTINEL_ON_STDERR': '1'}
    r = run('igt_selftest_core', '--run-subtest', 'pass', env=env)
    check(len(r.err_lines) == 2 and r.err_lines[0] == 'Starting subtest: pass'
          and RESULT_RE.match(r.err_lines[1]) is not None
          and r.err_lines[1] == r.lines[-1],
          'IGT_SENTINEL_ON_STDERR copies Starting/result lines to stderr', r)

    r = run('igt_selftest_core', '--run-subtest', 'dynamic-pass', env=env)
    check('Starting dynamic subtest: a' in r.err_lines and
          any(l.startswith('Dynamic subtest a: SUCCESS (') for l in
              r.err_lines) and
          any(l.startswith('Subtest dynamic-pass: SUCCESS (') for l in
              r.err_lines),
          'sentinels for dynamic subtests', r)

    r = run('igt_selftest_fixture', '--run-subtest', 'skipped-a', env=env)
    check(any(l.startswith('Subtest skipped-a: SKIP (0.000s)')
              for l in r.err_lines),
          'sentinel for a subtest skipped by its fixture', r)


def group_colour():
    r = run('igt_selftest_core', '--run-subtest', 'pass', tty=True)
    check_rc(r, 0)
    result = [l for l in r.lines if 'Subtest pass: SUCCESS' in l]
    check(len(result) == 1 and '\x1b[' in result[0],
          'result line coloured on a terminal', r)
    check('\x1b[' not in ''.join(l for l in r.lines if l not in result),
          'only the result line is coloured', r)

    r = run('igt_selftest_core', '--run-subtest', 'pass', tty=True,
            env={'IGT_PLAIN_OUTPUT': '1'})
    check_rc(r, 0)
    check('\x1b' not in r.out, 'IGT_PLAIN_OUTPUT disables colour', r)

    r = run('igt_selftest_core', '--run-subtest', 'pass,fail')
    check('\x1b' not in r.out + r.err, 'no colour when not a terminal', r)


def group_debug_log():
    r = run('igt_selftest_core', '--run-subtest', 'pass')
    check_not_in('debug message of pass', r.out,
                 'igt_debug hidden by default', r)

    for args, env in ((['--debug'], None), (['--debug=application'], None),
                      (['--debug=all'], None),
                      ([], {'IGT_LOG_LEVEL': 'debug'})):
        r = run('igt_selftest_core', '--run-subtest', 'pass', *args, env=env)
        check_rc(r, 0)
        check_in(r.prefix('DEBUG') + 'debug message of pass', r.lines,
                 'debug shown with %s %s' % (args, env), r)
        check_in(r.prefix('DEBUG') + 'Exiting with status code 0', r.lines,
                 'exit status logged at debug level', r)
        check(r.err == '', 'debug goes to stdout', r)

    r = run('igt_selftest_core', '--run-subtest', 'pass', '--debug=drmtest')
    check_not_in('debug message of pass', r.out,
                 '--debug=<domain> filters out other domains', r)

    r = run('igt_selftest_core', '--run-subtest', 'asserts-pass', '--debug')
    check_in(r.prefix('DEBUG') + 'Test requirement passed: three == 3',
             r.lines, 'passed requirements logged at debug level', r)


def group_invalid():
    for mode, message in (
            ('badname', 'Invalid subtest name "bad name!"'),
            ('skip-outside', 'only allowed in fixtures and subtests'),
            ('nested', 'igt_subtest can only be nested'),
            ('longname', 'longer than 255 characters')):
        r = run('igt_selftest_invalid', env={'SELFTEST_MODE': mode})
        check_rc(r, 112)
        check_in(message, r.err, 'misuse %s explained on stderr' % mode, r)

    r = run('igt_selftest_invalid', '--list-subtests',
            env={'SELFTEST_MODE': 'badname'})
    check_rc(r, 112)

    r = run('igt_selftest_invalid')
    check_rc(r, 77)
    check(r.results() == [], 'no subtest, nothing ran: 77', r)


def group_drmtest():
    r = run('igt_selftest_drm')
    check_rc(r, 98)
    expected = [
        ('open-missing', 'SKIP'), ('open-missing-nth', 'SKIP'),
        ('open-missing-raw', 'SUCCESS'), ('count-missing', 'SUCCESS'),
        ('is-driver', 'SUCCESS'), ('debugfs-not-drm', 'SUCCESS'),
        ('ioctl-err-pass', 'SUCCESS'), ('ioctl-fail', 'FAIL'),
        ('ioctl-err-mismatch', 'FAIL'),
    ]
    check([x[:2] for x in r.results()] == expected,
          'drmtest helpers without a device', r)

    r = run('igt_selftest_drm', '--run-subtest', 'open-missing')
    check_rc(r, 77)
    body = lines_after(r.lines, 'Starting subtest: open-missing')
    check(len(body) > 2 and body[0].startswith(
        'Test requirement not met in function drm_open_driver_render, file ')
        and 'no render node of driver "svmgpu-selftest-missing"' in body[2],
        'drm_open_driver_render skips, naming the missing driver', r)

    r = run('igt_selftest_drm', '--run-subtest', 'ioctl-fail')
    crit = r.prefix('CRITICAL')
    check_in(crit + 'Failed assertion: igt_ioctl(null_fd, DRM_IOCTL_VERSION, '
             '&version) == 0', r.err_lines, 'do_ioctl names the ioctl', r)
    check_in(crit + 'DRM_IOCTL_VERSION failed: Inappropriate ioctl for device',
             r.err_lines, 'do_ioctl says how it failed', r)

    r = run('igt_selftest_drm', '--run-subtest', 'ioctl-err-mismatch')
    check_in(r.prefix('CRITICAL') + 'Failed assertion: igt_ioctl(null_fd, '
             'DRM_IOCTL_VERSION, &version) == -1 && errno == EINVAL',
             r.err_lines, 'do_ioctl_err names the ioctl and the errno', r)
    check_in(r.prefix('CRITICAL') + 'DRM_IOCTL_VERSION: expected -1 with '
             'errno 22 (Invalid argument), got -1 with errno 25 '
             '(Inappropriate ioctl for device)', r.err_lines,
             'do_ioctl_err says what it got', r)


GROUPS = {
    'options': group_options,
    'listing': group_listing,
    'describe': group_describe,
    'selection': group_selection,
    'results': group_results,
    'skip-format': group_skip_format,
    'fail-format': group_fail_format,
    'dynamic': group_dynamic,
    'fixture': group_fixture,
    'crash': group_crash,
    'fork': group_fork,
    'exit-handler': group_exit_handler,
    'simple': group_simple,
    'kmsg': group_kmsg,
    'sentinel': group_sentinel,
    'colour': group_colour,
    'debug-log': group_debug_log,
    'invalid': group_invalid,
    'drmtest': group_drmtest,
}


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in GROUPS:
        sys.stderr.write('usage: %s {%s} BINARY...\n'
                         % (sys.argv[0], '|'.join(GROUPS)))
        return 2
    for path in sys.argv[2:]:
        BINARIES[os.path.basename(path)] = os.path.abspath(path)
    try:
        GROUPS[sys.argv[1]]()
    except Exception as exc:  # a crash of the checker is a failure too
        FAILURES.append('FAIL: checker raised %r' % exc)
        raise
    finally:
        for name in os.listdir(KMSG_DIR):
            os.unlink(os.path.join(KMSG_DIR, name))
        os.rmdir(KMSG_DIR)
    for failure in FAILURES:
        sys.stderr.write(failure + '\n')
    print('%s: %s' % (sys.argv[1], 'FAILED (%d)' % len(FAILURES)
                      if FAILURES else 'ok'))
    return 1 if FAILURES else 0


if __name__ == '__main__':
    sys.exit(main())
