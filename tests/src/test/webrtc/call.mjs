// Drives Debian's chromium (headless, fake microphone) running a JsSIP phone: registers over WSS
// with digest auth, calls TARGET, waits until RTP flows both ways (getStats), hangs up or waits
// for the peer to hang up, and prints one JSON line per event on stdout (with "sip" events: the
// first line and CSeq method of each SIP message on the WebSocket). After the "media" event it
// waits for a line on stdin (the test looks at the desk phone meanwhile), then hangs up if HANGUP=me.
// Usage: node call.mjs WSS_URL AOR PASSWORD TARGET SPKI_SHA256_BASE64 HANGUP(me|peer) PROFILE_DIR
import puppeteer from 'puppeteer-core';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import readline from 'node:readline';

const [wss, aor, password, target, spki, hangup, profile] = process.argv.slice(2);
const emit = (event, data = {}) => console.log(JSON.stringify({ event, ...data }));

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  userDataDir: profile,
  args: [
    '--no-sandbox',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    // the proxy's certificate comes from the test's own CA: trust exactly its key
    `--ignore-certificate-errors-spki-list=${spki}`,
    // the namespace has only lo: let WebRTC gather loopback candidates, with real addresses
    '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns',
    '--no-first-run', '--no-default-browser-check', '--disable-background-networking',
  ],
});
let code = 1;
try {
  const page = await browser.newPage();
  page.on('console', (m) => emit('console', { text: m.text() }));
  page.on('pageerror', (e) => emit('pageerror', { text: String(e) }));
  await page.exposeFunction('emit', (event, data) => emit(event, data));
  const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  await page.exposeFunction('awaitGo', async () => { await lines.next(); });
  const here = path.dirname(fileURLToPath(import.meta.url));
  await page.goto('file://' + path.join(here, 'phone.html'));
  const result = await page.evaluate(async (wss, aor, password, target, hangup) => {
    // the SIP first lines sent and received on the WebSocket, for comparing proxies on the wire
    const socket = new JsSIP.WebSocketInterface(wss);
    const wire = (dir, data) => {
      const text = String(data), line = text.split('\r\n', 1)[0];
      const cseq = (/^(?:CSeq|CSEQ|cseq):\s*\d+\s+(\S+)/im.exec(text) || [])[1] || '';
      if (!line.trim()) return;
      window.emit('sip', { dir, line, cseq });
      if (dir === 'in' && cseq === 'BYE' && line.startsWith('SIP/2.0 ')) byeAnswered();
    };
    let byeAnswered;
    const byeAnswer = new Promise((ok) => { byeAnswered = ok; });
    const send = socket.send.bind(socket);
    socket.send = (message) => { wire('out', message); return send(message); };
    let ondata;
    Object.defineProperty(socket, 'ondata', {
      get: () => ondata,
      set: (f) => { ondata = f && ((data) => { wire('in', data); f(data); }); },
    });
    const ua = new JsSIP.UA({
      sockets: [socket], uri: aor, password, register: true, session_timers: false,
    });
    const step = (what, ms, attach) => new Promise((ok, fail) => {
      const t = setTimeout(() => fail(new Error('timeout waiting for ' + what)), ms);
      attach((v) => { clearTimeout(t); ok(v); }, (e) => { clearTimeout(t); fail(e); });
    });
    ua.start();
    await step('registration', 15000, (ok, fail) => {
      ua.on('registered', ok);
      ua.on('registrationFailed', (e) => fail(new Error('registration failed: ' + e.cause)));
    });
    window.emit('registered', {});
    const session = ua.call(target, { mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
    const ended = new Promise((ok) => {
      session.on('ended', (e) => ok({ originator: e.originator, cause: e.cause }));
      session.on('failed', (e) => ok({ originator: e.originator, cause: e.cause, failed: true }));
    });
    await step('call confirmed', 20000, (ok, fail) => {
      session.on('confirmed', ok);
      session.on('failed', (e) => fail(new Error('call failed: ' + e.cause)));
    });
    window.emit('confirmed', {});
    const pc = session.connection;
    const rtp = async () => {
      let sent = 0, received = 0, pair = null;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'audio') sent = s.packetsSent;
        if (s.type === 'inbound-rtp' && s.kind === 'audio') received = s.packetsReceived;
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s;
      });
      return { sent, received, pair };
    };
    let stats;
    for (const deadline = Date.now() + 20000; ; ) {
      stats = await rtp();
      if (stats.sent >= 100 && stats.received >= 100) break;
      if (Date.now() > deadline) throw new Error('no RTP both ways: ' + JSON.stringify(stats));
      await new Promise((r) => setTimeout(r, 200));
    }
    const candidates = [];
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'local-candidate' || s.type === 'remote-candidate') candidates.push(s.type + ' ' + s.address + ':' + s.port);
    });
    window.emit('media', { sent: stats.sent, received: stats.received, candidates, dtls: pc.getSenders()[0].transport?.state });
    await window.awaitGo();
    if (hangup === 'me') session.terminate();
    const end = await step('call end', 30000, (ok) => ended.then(ok));
    window.emit('ended', end);
    // JsSIP ends the call when it sends its BYE: unregister (and close the socket) once it is answered
    if (hangup === 'me') await step('the reply to BYE', 15000, (ok) => byeAnswer.then(ok));
    await step('unregistration', 10000, (ok) => { ua.on('unregistered', ok); ua.unregister(); });
    ua.stop();
    return 'ok';
  }, wss, aor, password, target, hangup);
  emit('done', { result });
  code = 0;
} catch (e) {
  emit('error', { text: String(e && e.stack || e) });
} finally {
  await browser.close();
}
process.exit(code);
