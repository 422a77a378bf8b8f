#!/usr/bin/env python3
"""Mutated requests against the web app (through nginx) and against the
B2BUA's control socket; the same seed gives the same requests.

    webfuzz.py http HOST:PORT ROUTES SEED COUNT [NAME=COOKIE_JAR:CSRF ...]
    webfuzz.py ctl HOST:PORT SECRET_FILE SEED COUNT

http: ROUTES has one route a line, "METHOD PATTERN ..." (cc-web --print-routes).
Each request takes a route and mutates its method, path, {id}, query string,
headers and body (JSON, multipart, urlencoded, oversized), sent with no
session, with one of the named sessions (a curl cookie jar and that
session's CSRF token, valid or not), or with a forged cookie. Sessions never
go to /cc/logout or /cc/login, so that they stay signed in.

ctl: authenticates with the right secret, then sends mutated request lines
(known commands with wrong, missing, huge or odd arguments, broken JSON,
huge lines, lines cut short by a closed connection); one connection in
twenty sends its garbage without authenticating. No "auth" with a wrong
secret is sent: the socket may refuse an address after a few.

Prints one line of counts: "requests=N status_2xx=... none=..." (none: no
answer, the connection closed or timed out); exits 0 when the run ended.
"""
import json
import random
import socket
import sys
import threading
import time

# --- shared: odd values ------------------------------------------------------------

ODD_STRINGS = [
    '', ' ', '0', '-1', '1e999', 'null', 'true', '[]', '{}', "' OR '1'='1", '"; DROP TABLE cc_call; --',
    '<script>alert(1)</script>', ']]><x/>', '../../../../etc/passwd', '%00', '\x00', '\r\nX-Injected: 1',
    '\u202e', '\ud7ff', '陈小明', 'a' * 300, 'A' * 70000, '%s%s%n', '${jndi:x}', '\\', '"', '\u0000',
    '9' * 40, '+8613800138000', '13800138000', '2026-02-30', '-2147483649', '18446744073709551616',
]
ODD_NUMBERS = [0, -1, 1, 2, 3, 2**31 - 1, 2**31, 2**63, -2**63, 10**30, 1.5, float('1e308')]


def odd_value(r, depth=0):
    k = r.randrange(9)
    if k == 0:
        return r.choice(ODD_NUMBERS)
    if k == 1:
        return r.choice([True, False, None])
    if k == 2 and depth < 4:
        return [odd_value(r, depth + 1) for _ in range(r.randrange(4))]
    if k == 3 and depth < 4:
        return {r.choice(FIELDS): odd_value(r, depth + 1) for _ in range(r.randrange(5))}
    return r.choice(ODD_STRINGS)


# Field names the handlers read (and some they do not).
FIELDS = [
    'id', 'name', 'state', 'reason', 'number', 'agent', 'user_id', 'username', 'password', 'extension',
    'skill_group_id', 'skill_groups', 'caller_id_number_id', 'level', 'enabled', 'dedicated', 'display',
    'usage', 'ring_timeout_s', 'max_wait_s', 'wrapup_s', 'moh_audio_id', 'welcome_audio_id', 'text',
    'voice', 'doc', 'flow', 'nodes', 'edges', 'start', 'version', 'lock', 'note', 'phone', 'email',
    'handled', 'pacing', 'ratio', 'time_zone', 'windows', 'job', 'q', 'page', 'size', 'from', 'to',
    '_csrf', 'cmd', 'events', 'x', '__proto__',
]

# --- http ------------------------------------------------------------------------------


def read_jar(path):
    """name=value pairs of a curl cookie jar, as a Cookie header's value."""
    pairs = []
    for line in open(path, encoding='utf-8', errors='replace'):
        if line.startswith('#HttpOnly_'):
            line = line[len('#HttpOnly_'):]
        elif line.startswith('#') or not line.strip():
            continue
        f = line.rstrip('\n').split('\t')
        if len(f) >= 7:
            pairs.append('%s=%s' % (f[5], f[6]))
    return '; '.join(pairs)


def fill_id(r):
    return r.choice([
        str(r.randrange(1, 50)), str(r.randrange(10**6)), '0', '-1', 'x' * 64, 'x' * 65,
        ''.join(r.choice('0123456789abcdef') for _ in range(32)), '%2e%2e', '..', '%00', 'a%2Fb',
        '%E9%99%88', 'new', '{id}', "1'", '1;2', '9' * 30, '_', '-',
    ])


def mutate_path(r, pattern):
    p = pattern.replace('{id}', fill_id(r))
    k = r.randrange(12)
    if k == 0:
        p = p.replace('/', '//', 1 + r.randrange(2))
    elif k == 1:
        p += r.choice(['/', '/.', '/..', '/%2e%2e/', '/../../etc/passwd', '%00', '%', '%zz', ';x', '/x'])
    elif k == 2:
        p = p.upper()
    elif k == 3:
        p += '/' + 'a' * r.choice([200, 2000, 9000])
    elif k == 4:
        p = p.replace('/cc/', '/cc/%2e/', 1)
    elif k == 5:
        i = r.randrange(len(p))
        p = p[:i] + r.choice(['%', '\x7f', '\\', '#', ' ', '%0d%0a', '%ff']) + p[i:]
    return p


def query(r):
    if r.randrange(3):
        return ''
    keys = ['job', 'page', 'size', 'q', 'state', 'from', 'to', 'sort', 'lang', 'group', 'agent', 'x']
    parts = []
    for _ in range(r.randrange(1, 6)):
        v = str(odd_value(r))
        if r.randrange(2):
            v = ''.join(c if c.isalnum() else '%%%02X' % (ord(c) & 0xff) for c in v[:500])
        parts.append('%s=%s' % (r.choice(keys), v[:3000]))
    if not r.randrange(8):
        parts.append('&&&==%%%')
    return '?' + '&'.join(parts)


def json_body(r):
    k = r.randrange(10)
    if k == 0:
        return b'{"a":' * r.choice([10, 200, 5000])        # deep and unterminated
    if k == 1:
        return b'{"name": "\xff\xfe\xc0\x80", "id": 1}'      # invalid UTF-8
    if k == 2:
        return json.dumps([odd_value(r) for _ in range(r.randrange(50))]).encode()
    if k == 3:
        return b'{"name":"' + b'x' * r.choice([1000, 100000, 3000000]) + b'"}'
    doc = {r.choice(FIELDS): odd_value(r) for _ in range(r.randrange(1, 10))}
    s = json.dumps(doc, ensure_ascii=r.randrange(2) == 0).encode('utf-8', 'surrogatepass')
    if r.randrange(4) == 0 and s:
        i = r.randrange(len(s))
        s = s[:i] + r.choice([b'', b'\x00', b'"', b'}', b',', b'\\u12', b'\n']) + s[i + 1:]
    return s


def multipart_body(r, boundary):
    parts = []
    for _ in range(r.randrange(4)):
        name = r.choice(FIELDS + ['file', 'targets', 'audio'])
        if r.randrange(2):
            data = r.choice([b'RIFF\x00\x00\x00\x00WAVEfmt ', b'\x00' * 100, b'phone\n1380\n', b'<flow/>',
                             b'ID3\x03', b'x' * r.choice([10, 10000, 2000000])])
            head = 'Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s' % (
                name, r.choice(['a.wav', '../../x.wav', 'a\x00.csv', '陈.csv', 'x' * 300, '']),
                r.choice(['audio/wav', 'text/csv', 'application/octet-stream', '']))
        else:
            data = str(odd_value(r)).encode('utf-8', 'surrogatepass')[:5000]
            head = 'Content-Disposition: form-data; name="%s"' % name
        parts.append(b'--' + boundary + b'\r\n' + head.encode('utf-8', 'surrogatepass') + b'\r\n\r\n' + data + b'\r\n')
    end = r.choice([b'--' + boundary + b'--\r\n', b'--' + boundary, b'', b'--' + boundary + b'\r\n'])
    return b''.join(parts) + end


def form_body(r, csrf):
    pairs = []
    if csrf and r.randrange(2):
        pairs.append('_csrf=' + csrf)
    for _ in range(r.randrange(8)):
        v = str(odd_value(r))[:4000]
        pairs.append('%s=%s' % (r.choice(FIELDS), ''.join(c if c.isalnum() else '%%%02X' % (ord(c) & 0xff) for c in v)))
    if not r.randrange(6):
        pairs.append(r.choice(['%', '=', '&&', 'a=%zz', 'a' * 9000]))
    return '&'.join(pairs).encode()


def build_request(r, route, sessions, host):
    method, pattern = route
    signed = [s for s in sessions if pattern not in ('/cc/logout', '/cc/login')]
    who = r.choice([None, 'forged'] + signed * 3)
    m = method if r.randrange(5) else r.choice(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH',
                                                 'TRACE', 'CONNECT', 'get', 'X' * 50, 'G\x00T'])
    path = mutate_path(r, pattern) + query(r)
    headers = [('Host', host), ('Connection', 'close')]
    csrf = None
    if who == 'forged':
        headers.append(('Cookie', r.choice(['cc_session=' + 'a' * 64, 'cc_session=', 'cc_session=%00',
                                            'cc_session=' + 'x' * 5000, '; ;=;', 'a=b' * 500])))
    elif who:
        jar, csrf = sessions[who]
        headers.append(('Cookie', jar))
        if csrf and r.randrange(3):
            headers.append(('X-CSRF-Token', csrf if r.randrange(4) else csrf[:-1] + '0'))
    if not r.randrange(4):
        headers.append(('Origin', r.choice(['http://' + host, 'foo://' + host, 'null', 'http://evil.example',
                                            'http://' + host + '.evil', ''])))
    if not r.randrange(8):
        headers.append(('Accept-Language', r.choice(['en', 'zh-CN', 'x' * 3000, '*;q=abc', ''])))
    if not r.randrange(10):
        headers.append((r.choice(['X-Forwarded-For', 'Referer', 'User-Agent', 'X-' + 'a' * 100]),
                        r.choice(['127.0.0.1', 'x' * 6000, '\x01\x02', '陈小明'])))
    body = b''
    ctype = None
    if m.upper() in ('POST', 'PUT', 'PATCH') or not r.randrange(10):
        k = r.randrange(6)
        if k <= 1:
            ctype, body = 'application/json', json_body(r)
        elif k == 2:
            boundary = r.choice([b'----cc' + str(r.randrange(10**9)).encode(), b'', b'x' * 100])
            ctype = r.choice(['multipart/form-data; boundary=' + boundary.decode(), 'multipart/form-data',
                              'multipart/form-data; boundary="' + boundary.decode() + '"'])
            body = multipart_body(r, boundary)
        elif k == 3:
            ctype, body = 'application/x-www-form-urlencoded', form_body(r, csrf)
        elif k == 4:
            ctype, body = r.choice(['text/csv', 'text/plain', 'application/xml', '', 'a/b; charset=xx']), \
                r.choice([b'\xef\xbb\xbf\xe7\x94\xb5\xe8\xaf\x9d\n1380\n', b'x' * 100, b'\x00\xff' * 500, b''])
        else:
            ctype, body = 'application/json', b'x' * r.choice([70000, 1100000, 7000000])
    if ctype is not None:
        headers.append(('Content-Type', ctype))
    length = len(body)
    k = r.randrange(20)
    if k == 0:
        headers.append(('Content-Length', str(max(0, length - 1 - r.randrange(10)))))
    elif k == 1:
        headers.append(('Content-Length', r.choice(['-1', 'abc', '99999999999999999999', ''])))
    elif k == 2:
        headers.append(('Transfer-Encoding', 'chunked'))
        body = b'%x\r\n' % len(body) + body + r.choice([b'\r\n0\r\n\r\n', b'\r\n', b'zz\r\n'])
    elif body or m.upper() == 'POST':
        headers.append(('Content-Length', str(length)))
    head = '%s %s HTTP/1.1\r\n' % (m, path) + ''.join('%s: %s\r\n' % h for h in headers) + '\r\n'
    return head.encode('utf-8', 'surrogatepass') + body


def http_one(addr, req, timeout):
    s = socket.create_connection(addr, timeout=timeout)
    try:
        try:
            s.sendall(req)
        except OSError:
            pass                     # refused early (413): read the answer anyway
        data = b''
        while len(data) < 64 and b'\r\n' not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        if data.startswith(b'HTTP/1.') and len(data) >= 12:
            return data[9:12].decode('ascii', 'replace')
        return None
    finally:
        s.close()


def run_http(target, routes_file, seed, count, session_args):
    host, port = target.rsplit(':', 1)
    addr = (host, int(port))
    routes = []
    for line in open(routes_file, encoding='utf-8'):
        f = line.split()
        if len(f) >= 2:
            routes.append((f[0], f[1]))
    sessions = {}
    for a in session_args:
        name, rest = a.split('=', 1)
        jar, csrf = rest.rsplit(':', 1)
        sessions[name] = (read_jar(jar), csrf)
    counts = {}
    by_route = {}
    lock = threading.Lock()
    nthreads = 6
    fives = []

    def worker(t):
        for i in range(t, count, nthreads):
            r = random.Random(seed * 1000003 + i)
            route = r.choice(routes)
            req = build_request(r, route, sessions, target)
            try:
                st = http_one(addr, req, 2 if route[1] != '/cc/events' else 1)
            except OSError:
                st = None
            key = 'none' if st is None else 'status_%sxx' % st[0]
            with lock:
                counts[key] = counts.get(key, 0) + 1
                by_route[route] = by_route.get(route, 0) + 1
                if st in ('500', '502', '504'):
                    fives.append('%s %d %s %s' % (st, i, route[0], route[1]))

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(nthreads)]
    t0 = time.time()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for line in fives[:50]:
        print('server error: ' + line, file=sys.stderr)
    print('requests=%d routes=%d ms=%d %s' % (count, len(by_route), (time.time() - t0) * 1000,
                                              ' '.join('%s=%d' % kv for kv in sorted(counts.items()))))


# --- ctl ----------------------------------------------------------------------------

COMMANDS = ['ping', 'subscribe', 'agent.state', 'agent.get', 'agent.list', 'call.list', 'call.dial',
            'queue.list', 'task.list', 'task.wake', 'reload', 'nope', '', 'PING']


def ctl_line(r):
    k = r.randrange(12)
    if k == 0:
        return b'{"id":1,"cmd":"ping"' + r.choice([b'', b',', b'}}', b'\x00}', b'\xff'])
    if k == 1:
        return bytes(r.randrange(256) for _ in range(r.randrange(200))).replace(b'\n', b' ')
    if k == 2:
        return b'{"id":2,"cmd":"agent.get","agent":"' + b'a' * r.choice([1000, 60000, 300000]) + b'"}'
    if k == 3:
        return b'[' * r.choice([50, 5000]) + b']' * r.randrange(50)
    req = {'id': odd_value(r) if r.randrange(4) == 0 else r.randrange(10**6), 'cmd': r.choice(COMMANDS)}
    for _ in range(r.randrange(4)):
        req[r.choice(['agent', 'state', 'reason', 'number', 'events', 'task', 'id', 'x'])] = odd_value(r)
    if req['cmd'] == 'agent.state' and 'state' not in req:
        req['state'] = r.choice(['ready', 'break', 'logged_out', 'on_call', '', 'x'])
    return json.dumps(req, ensure_ascii=r.randrange(2) == 0).encode('utf-8', 'surrogatepass')


def run_ctl(target, secret_file, seed, count):
    host, port = target.rsplit(':', 1)
    addr = (host, int(port))
    secret = open(secret_file, encoding='utf-8').read().strip()
    r = random.Random(seed)
    sent = conns = closed = replies = 0
    t0 = time.time()
    s = None
    while sent < count:
        if s is None:
            try:
                s = socket.create_connection(addr, timeout=5)
            except OSError as e:
                print('ctl: cannot connect after %d lines: %s' % (sent, e), file=sys.stderr)
                return 1
            conns += 1
            authed = r.randrange(20) != 0
            if authed:
                s.sendall(b'{"id":0,"cmd":"auth","secret":"' + secret.encode() + b'"}\n')
            per_conn = r.randrange(1, 400)
        line = ctl_line(r)
        end = b'\n'
        if not r.randrange(40):
            end = b''                          # cut short: closed without its end
            per_conn = 0
        try:
            s.sendall(line + end)
            sent += 1
            per_conn -= 1
            s.settimeout(0.05 if r.randrange(8) == 0 else 0.001)
            try:
                while True:
                    d = s.recv(65536)
                    if not d:
                        raise ConnectionResetError
                    replies += d.count(b'\n')
            except (socket.timeout, BlockingIOError):
                pass
        except OSError:
            closed += 1                        # the server closed it (a huge line): a new one
            per_conn = 0
        if per_conn <= 0:
            s.close()
            s = None
    if s:
        s.close()
    print('lines=%d connections=%d closed_by_server=%d replies=%d ms=%d' % (sent, conns, closed, replies,
                                                                         (time.time() - t0) * 1000))
    return 0


def main(argv):
    if len(argv) >= 6 and argv[1] == 'http':
        run_http(argv[2], argv[3], int(argv[4]), int(argv[5]), argv[6:])
    elif len(argv) == 6 and argv[1] == 'ctl':
        return run_ctl(argv[2], argv[3], int(argv[4]), int(argv[5]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
