/**
 * nwipe / ShredOS text log parser.
 *
 * Formats read (learnt from martijnvanbrummelen/nwipe: src/logging.c, device.c, hpa_dco.c,
 * method.c, options.c, pass*.c, nwipe.c, and log pastes in its issues):
 *
 * - Line prefix. Since 0.30: `[YYYY/MM/DD HH:MM:SS] ` + level right-justified to 7 characters
 *   (`   info: `, ` notice: `, `warning: `, `  error: `, `  fatal: `, ` sanity: `, `  debug: `).
 *   Up to 0.28: `[YYYY/MM/DD HH:MM:SS] nwipe: info: ` (no padding). Some 2020 builds dropped
 *   `nwipe: ` without padding the level: all three are accepted.
 * - A message may contain newlines: the next lines have no prefix (the OS line, `hpa is
 *   disabled` + ` on /dev/sda`, `No UUID available …` + an empty line). They are appended to
 *   the message they continue.
 * - Messages of several disks' wipe threads are interleaved: everything is keyed by device.
 * - Summary tables, printed without prefix when the run ends: Drive Status (since 0.30),
 *   Error Summary (since 0.31), Erasure Summary (since 0.41), then a
 *   `[time] Total Throughput …, <method>, <rounds>R+<B|NB>+<NV|VL|VA>` line. Older logs
 *   (≤ 0.28) have none: each disk's status is then derived from its messages.
 * - The tables are nwipe's own verdict: `-FAILED-` is set from the error counters, so a
 *   FAILED disk can still show 100.00 % erased. Counts and status win over percentages.
 * - Times are the wiping machine's local time without a zone: they are read as UTC (the
 *   only honest choice without a zone) and returned as ISO 8601 `…Z` strings.
 */
import type {
  ErasureReportParser,
  ParsedDiskErasure,
  ParsedDiskStatus,
  ParsedErasureLevel,
  ParsedErasureReport,
  ParsedHiddenSectors,
  ParsedHost,
  ParsedMediumKind,
  ParsedVerification,
} from './erasure-report';

// ---------------------------------------------------------------------------------------
// Tables of facts about nwipe

/** nwipe method labels (src/method.c `nwipe_method_label`). Unknown labels are still accepted. */
const METHODS: Record<string, { overwrites: boolean }> = {
  'PRNG Stream': { overwrites: true },
  'DoD 5220.22-M': { overwrites: true },
  'DoD Short': { overwrites: true },
  'Gutmann Wipe': { overwrites: true },
  'RCMP TSSIT OPS-II': { overwrites: true },
  'HMG IS5 Enhanced': { overwrites: true },
  'Bruce Schneier 7-Pass': { overwrites: true },
  'BMB21-2019': { overwrites: true },
  'Fill With Zeros': { overwrites: true },
  'Fill With Ones': { overwrites: true },
  'Zero Fill': { overwrites: true }, // ≤ 0.28
  'Quick Erase': { overwrites: true }, // very old builds
  'Verify Zeros (0x00)': { overwrites: false },
  'Verify Ones (0xFF)': { overwrites: false }, // logged with two spaces: compared space-normalised
  'Verify Blank': { overwrites: false }, // ≤ 0.28
};

/**
 * nwipe `--verify` → verification. NIST SP 800-88 r1 §4.7 distinguishes a full verification
 * (every addressable location read back) from representative sampling. Both `last` and `all`
 * read back the whole device: `last` reads the final pass (the blanking pass when there is
 * one, i.e. it checks the disk is all zeros), `all` reads every pass. Both are therefore FULL;
 * nwipe has no sampling mode, so SAMPLED never comes out of this parser.
 */
const VERIFY_MODES: Record<string, ParsedVerification> = {
  '0': 'NONE', // off
  '1': 'FULL', // last pass
  '2': 'FULL', // all passes
  NV: 'NONE',
  VL: 'FULL',
  VA: 'FULL',
};

/** The word in the Drive Status table (all exactly 8 characters in the log). */
const STATUS_WORDS: Array<[RegExp, ParsedDiskStatus]> = [
  [/^erased$/i, 'ERASED'],
  [/fail/i, 'FAILED'], // `-FAILED-`; older builds printed `--FAIL--` / `FAILURE`
  [/abort/i, 'ABORTED'], // `UABORTED`
  [/^insanity$/i, 'INSANITY'],
];

/** Every nwipe method overwrites (or only reads): CLEAR per NIST SP 800-88 r1, whatever the passes. */
const OVERWRITE_LEVEL: ParsedErasureLevel = 'CLEAR';

const STATUS_REASONS: Record<Exclude<ParsedDiskStatus, 'ERASED'>, string> = {
  FAILED: "nwipe déclare l'effacement en échec",
  ABORTED: 'Effacement interrompu avant la fin',
  INSANITY: 'nwipe signale un état incohérent',
  UNKNOWN: 'Statut final du disque introuvable dans le journal (journal incomplet ?)',
};

/** SMBIOS/DMI values that mean "nothing": the field is then left undefined. */
const DMI_PLACEHOLDERS = [
  /^$/,
  /^not specified$/i,
  /^not applicable$/i,
  /^not available$/i,
  /^to be filled by o\.?e\.?m\.?$/i,
  /^default string$/i,
  /^system (manufacturer|product name|version)$/i,
  /^(system|chassis|baseboard) serial number$/i,
  /^no asset (tag|information)$/i,
  /^asset-?tag:?$/i,
  /^none$/i,
  /^n\/?a$/i,
  /^unknown$/i,
  /^0+$/,
  /^0123456789$/,
  /^x+$/i, // `nwipe -q` anonymises DMI serials as XXXXXXXXXXXXXXX
];

// ---------------------------------------------------------------------------------------
// Lines → messages and tables

interface LogMessage {
  at?: string; // ISO 8601, UTC assumed
  text: string;
}

interface ErrorRow {
  passErrors: number;
  verifyErrors: number;
  fdatasyncErrors?: number;
}

interface ErasureRow {
  bytesErased: number;
  bytesTotal: number;
}

interface StatusRow {
  status: ParsedDiskStatus;
  word: string;
  durationSeconds?: number;
  model?: string;
  serial?: string;
}

interface Throughput {
  method: string;
  rounds: number;
  blanking: boolean;
  verify: string;
}

interface Session {
  messages: LogMessage[];
  errorRows: Map<string, ErrorRow>;
  erasureRows: Map<string, ErasureRow>;
  statusRows: Map<string, StatusRow>;
  tableOrder: string[];
  throughput?: Throughput;
  hasWipe: boolean;
}

const TIME = String.raw`\[(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\]`;
const PREFIX = new RegExp(`^${TIME} +(?:nwipe: +)?(debug|info|notice|warning|error|fatal|sanity|level \\d+): ?(.*)$`);
const THROUGHPUT = new RegExp(
  `^${TIME} Total Throughput\\s+[^,]*, (.+), (\\d+)R\\+(N?B)\\+(NV|VL|VA)\\s*$`,
);
const TABLE_TITLE = /^\*+ (Error Summary|Erasure Summary|Drive Status) \*+$/;
const TABLE_END = /^\*{20,}$/;
const TABLE_ROW = /^([! ]) *(\S+) \|(.*)$/;
/** A new run appended to the same file starts with the version banner. */
const BANNER = /^(?:nwipe \d+\.\d+|ShredOS v)/;

/** The six time groups of PREFIX → `YYYY-MM-DDTHH:MM:SSZ` (the log's local time, read as UTC). */
function isoTime(m: RegExpMatchArray): string | undefined {
  const [y, mo, d, h, mi, s] = m.slice(1, 7);
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  const t = Date.parse(iso);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 19) + 'Z' !== iso ? undefined : iso;
}

function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function newSession(): Session {
  return { messages: [], errorRows: new Map(), erasureRows: new Map(), statusRows: new Map(), tableOrder: [], hasWipe: false };
}

function readSessions(text: string): Session[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const sessions = [newSession()];
  let s = sessions[0];
  let table: string | undefined;
  let last: LogMessage | undefined;

  for (const line of lines) {
    const title = line.match(TABLE_TITLE);
    if (title) {
      table = title[1];
      s.hasWipe = true;
      last = undefined; // lines after the tables continue nothing
      continue;
    }
    const tp = line.match(THROUGHPUT);
    if (tp) {
      s.throughput = { method: tp[7], rounds: Number(tp[8]), blanking: tp[9] === 'B', verify: tp[10] };
      continue;
    }
    if (table) {
      if (TABLE_END.test(line)) table = undefined;
      else readTableRow(s, table, line);
      continue;
    }
    const m = line.match(PREFIX);
    if (m) {
      const message = { at: isoTime(m), text: m[8] };
      if (s.hasWipe && BANNER.test(message.text)) {
        s = newSession();
        sessions.push(s);
      }
      if (/^Invoking method /.test(message.text)) s.hasWipe = true;
      s.messages.push(message);
      last = message;
    } else if (last && line.trim() !== '') {
      last.text += '\n' + line; // continuation of a message that contained a newline
    }
  }
  return sessions;
}

function readTableRow(s: Session, table: string, line: string): void {
  const row = line.match(TABLE_ROW);
  if (!row || row[2] === 'Device') return; // column titles, rules
  const name = row[2];
  const cells = row[3].split('|').map((c) => c.trim());
  if (!s.tableOrder.includes(name)) s.tableOrder.push(name);
  const num = (c?: string) => (c !== undefined && /^\d+$/.test(c) ? Number(c) : undefined);

  if (table === 'Error Summary') {
    const [pass, verify, sync] = cells.map(num);
    if (pass !== undefined && verify !== undefined) {
      s.errorRows.set(name, { passErrors: pass, verifyErrors: verify, fdatasyncErrors: sync });
    }
  } else if (table === 'Erasure Summary') {
    const [erased, total] = cells.map(num);
    if (erased !== undefined && total !== undefined) s.erasureRows.set(name, { bytesErased: erased, bytesTotal: total });
  } else {
    const [word = '', , duration = '', modelSerial = ''] = cells;
    const d = duration.match(/^(\d+):(\d{2}):(\d{2})$/);
    const slash = modelSerial.lastIndexOf('/');
    s.statusRows.set(name, {
      word,
      status: STATUS_WORDS.find(([re]) => re.test(word))?.[1] ?? 'UNKNOWN',
      durationSeconds: d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : undefined,
      model: (slash >= 0 ? modelSerial.slice(0, slash) : modelSerial).trim() || undefined,
      serial: slash >= 0 ? modelSerial.slice(slash + 1).trim() || undefined : undefined,
    });
  }
}

// ---------------------------------------------------------------------------------------
// Messages → facts per disk and per run

interface DiskFacts {
  devicePath: string;
  model?: string;
  serial?: string;
  serialMasked?: boolean;
  busType?: string;
  sizeBytes?: number;
  method?: string;
  rounds?: number;
  startedAt?: string;
  lastActivityAt?: string;
  wiped: boolean;
  sawVerification: boolean;
  skippedVerifications: number;
  sawBlankingStart: boolean;
  sawBlanked: boolean;
  allRoundsFinished: boolean;
  passErrors?: number;
  verifyErrors?: number;
  fdatasyncErrors: number;
  debugCounts?: ErrorRow & { fdatasyncErrors: number };
  ioRetries: number;
  ioIncidents: number;
  ioGiveUps: number;
  hidden?: ParsedHiddenSectors;
  failureEvidence: boolean;
  /** When nwipe cancelled the wipe thread at exit ('' if the line had no time). */
  cancelledAt?: string;
}

interface RunFacts {
  toolVersion?: string;
  host: Record<string, string>;
  method?: string;
  prng?: string;
  rounds?: number;
  verify?: string;
  optionsLogged: boolean;
  noBlank: boolean;
  userAborted: boolean;
  noSmartctl: boolean;
}

/** A device path as nwipe prints it, quoted (old builds) or not. */
const DEV = String.raw`'?(?<dev>/dev/[^\s',]*[^\s',.])'?`;
const rx = (source: string) => new RegExp(source.replace('{DEV}', DEV));

interface DiskRule {
  re: RegExp;
  /** A message of the wipe thread itself: it dates the start and end of the wipe. */
  wipe?: boolean;
  apply?: (d: DiskFacts, g: Record<string, string>, at?: string) => void;
}

const DISK_RULES: DiskRule[] = [
  {
    re: rx(String.raw`^Found {DEV},\s*(?<bus>[^,]*?)\s*,\s?(?<model>.*?),\s*[\d.]+ ?[KMGTPE]?B,\s*S\/N=(?<serial>.*)$`),
    apply: (d, g) => {
      d.busType = g.bus;
      d.model = g.model.trim() || undefined;
      setSerial(d, g.serial);
    },
  },
  { re: rx(String.raw`^(?:Device )?{DEV} has serial number (?<serial>.*)$`), apply: (d, g) => d.serial ?? setSerial(d, g.serial) },
  { re: rx(String.raw`^Device {DEV} is size (?<bytes>\d+)`), apply: (d, g) => (d.sizeBytes = Number(g.bytes)) },
  { re: rx(String.raw`^{DEV}, sect\/blk\/dev \d+\/\d+\/(?<bytes>\d+)`), apply: (d, g) => (d.sizeBytes = Number(g.bytes)) },
  {
    re: rx(String.raw`^Invoking method '(?<method>[^']+)' on (?:device )?{DEV}`),
    wipe: true,
    apply: (d, g) => (d.method = g.method),
  },
  {
    re: rx(String.raw`^Starting round \d+ of (?<n>\d+) on (?:device )?{DEV}`),
    wipe: true,
    apply: (d, g) => (d.rounds = Number(g.n)),
  },
  { re: rx(String.raw`^Starting pass .*? on (?:device )?{DEV}`), wipe: true },
  { re: rx(String.raw`^\d+ bytes (?:written|read) (?:to|from) (?:device )?{DEV}`), wipe: true },
  { re: rx(String.raw`^(?:\[SUCCESS\] )?Verif(?:ying|ied)\b.*?\s{DEV}`), wipe: true, apply: (d) => (d.sawVerification = true) },
  { re: rx(String.raw`^Skipping verification .*? on {DEV}`), wipe: true, apply: (d) => d.skippedVerifications++ },
  { re: rx(String.raw`^Finished pass .*? on (?:device )?{DEV}`), wipe: true },
  {
    re: rx(String.raw`^Finished (?:final )?round (?<r>\d+) of (?<n>\d+) on (?:device )?{DEV}`),
    wipe: true,
    apply: (d, g) => g.r === g.n && (d.allRoundsFinished = true),
  },
  { re: rx(String.raw`^Blanking device {DEV}`), wipe: true, apply: (d) => (d.sawBlankingStart = true) },
  { re: rx(String.raw`^(?:\[SUCCESS\] )?Blanked device {DEV}`), wipe: true, apply: (d) => (d.sawBlanked = true) },
  { re: rx(String.raw`^Wrote final random pattern to {DEV}`), wipe: true, apply: (d) => (d.sawBlanked = true) },
  { re: rx(String.raw`^\[FAILURE\] {DEV} may not be blanked`), wipe: true, apply: (d) => (d.failureEvidence = true) },
  {
    re: rx(String.raw`^(?<n>\d+) verification errors on (?:device )?{DEV}`),
    wipe: true,
    apply: (d, g) => (d.verifyErrors = Number(g.n)),
  },
  { re: rx(String.raw`^(?<n>\d+) wipe errors on (?:device )?{DEV}`), wipe: true, apply: (d, g) => (d.passErrors = Number(g.n)) },
  { re: rx(String.raw`^Buffer flush failure on {DEV}`), wipe: true, apply: (d) => d.fdatasyncErrors++ },
  { re: rx(String.raw`^(?:Read|Write) error on {DEV}`), wipe: true },
  {
    // pass_internal.c: one line per failed attempt; every attempt but the last is retried.
    re: rx(String.raw`(?:\w+\(\) failed|short (?:read|write)) on {DEV} \(attempt (?<k>\d+)\/(?<n>\d+)\)`),
    wipe: true,
    apply: (d, g) => {
      if (g.k === '1') d.ioIncidents++;
      if (Number(g.k) < Number(g.n)) d.ioRetries++;
    },
  },
  { re: rx(String.raw`giving up \w+\(\) on {DEV}`), wipe: true, apply: (d) => d.ioGiveUps++ },
  // hpa_dco.c. nwipe detects hidden areas but never removes them (up to 0.42 at least).
  { re: rx(String.raw`^No hidden (?:sectors|areas?) on {DEV}`), apply: (d) => (d.hidden = 'NONE') },
  { re: rx(String.raw`HIDDEN AREA DETECTED!? on {DEV}`), apply: (d) => (d.hidden = 'DETECTED_NOT_WIPED') },
  { re: rx(String.raw`HIDDEN AREA INDETERMINATE!? on {DEV}`), apply: (d) => (d.hidden = 'UNKNOWN') },
  // End-of-run lines (nwipe.c, signal handler).
  { re: rx(String.raw`^Nwipe exited with (?:non fatal |fatal )?errors on device = {DEV}`), apply: (d) => (d.failureEvidence = true) },
  { re: rx(String.raw`^{DEV}: >>> ?FAILURE!? ?<<<`), apply: (d) => (d.failureEvidence = true) },
  { re: rx(String.raw`^Wipe thread for device {DEV} has been cancelled`), apply: (d, _, at) => (d.cancelledAt ??= at ?? '') },
  {
    re: rx(String.raw`^Status: {DEV}, result=-?\d+, pass_errors=(?<p>\d+), verify_errors=(?<v>\d+), fsync_errors=(?<f>\d+)`),
    apply: (d, g) => (d.debugCounts = { passErrors: Number(g.p), verifyErrors: Number(g.v), fdatasyncErrors: Number(g.f) }),
  },
];

/** `/dev/sda: Device geometry is as follows...` then unnamed lines, one of them the size. */
const GEOMETRY = rx(String.raw`^{DEV}: Device geometry`);
const TOTAL_BYTES = /^\s+Total device bytes\s*=\s*(\d+)/;

const HOST_KEYS = [
  'system-manufacturer',
  'system-product-name',
  'system-serial-number',
  'chassis-serial-number',
  'chassis-asset-tag',
  'baseboard-asset-tag',
];

interface RunRule {
  re: RegExp;
  apply: (r: RunFacts, g: string[]) => void;
}

const RUN_RULES: RunRule[] = [
  { re: /^nwipe (\d+\.\d+(?:\.\d+)*\S*)\s*$/, apply: (r, g) => (r.toolVersion ??= g[1]) },
  // ShredOS replaces the banner: `ShredOS v2024.11_27_x86-64_0.38` (nwipe version last).
  { re: /^ShredOS v\S*_(\d+\.\d+(?:\.\d+)*)(?:-\S*)?\s*$/, apply: (r, g) => (r.toolVersion ??= g[1]) },
  { re: /^\s*banner\s*=\s*nwipe (\S+)/, apply: (r, g) => (r.toolVersion ??= g[1]) },
  { re: /^([a-z-]+) = (.*)$/, apply: (r, g) => HOST_KEYS.includes(g[1]) && (r.host[g[1]] ??= g[2].trim()) },
  { re: /^Program options are set as follows/, apply: (r) => (r.optionsLogged = true) },
  { re: /^\s+method\s*=\s*(.+?)\s*$/, apply: (r, g) => (r.method = g[1]) },
  { re: /^\s+prng\s*=\s*(.+?)\s*$/, apply: (r, g) => (r.prng = g[1]) },
  { re: /^Auto-selected fastest PRNG: (.+?)\s*$/, apply: (r, g) => (r.prng ??= g[1]) },
  { re: /^\s+rounds\s*=\s*(\d+)/, apply: (r, g) => (r.rounds = Number(g[1])) },
  { re: /^\s+verify\s*=\s*(\d+)/, apply: (r, g) => (r.verify = g[1]) },
  { re: /^\s+do not perform a final blank pass/, apply: (r) => (r.noBlank = true) },
  { re: /aborted by the user/i, apply: (r) => (r.userAborted = true) },
  { re: /Install smartmontools|smartctl.*not found/i, apply: (r) => (r.noSmartctl = true) },
];

/** `nwipe -q`: XXXXXXXXXXXXXXX = a serial exists, ??????????????? = none could be read. */
const MASKED_SERIAL = /^(X{6,}|\?{3,})$/;

function setSerial(d: DiskFacts, raw: string): void {
  const serial = raw.trim();
  d.serialMasked ||= MASKED_SERIAL.test(serial);
  d.serial = serial && !MASKED_SERIAL.test(serial) ? serial : undefined;
}

function newDisk(devicePath: string): DiskFacts {
  return {
    devicePath,
    wiped: false,
    sawVerification: false,
    skippedVerifications: 0,
    sawBlankingStart: false,
    sawBlanked: false,
    allRoundsFinished: false,
    fdatasyncErrors: 0,
    ioRetries: 0,
    ioIncidents: 0,
    ioGiveUps: 0,
    failureEvidence: false,
  };
}

function readFacts(s: Session): { run: RunFacts; disks: Map<string, DiskFacts> } {
  const run: RunFacts = { host: {}, optionsLogged: false, noBlank: false, userAborted: false, noSmartctl: false };
  const disks = new Map<string, DiskFacts>();
  const disk = (path: string) => disks.get(path) ?? disks.set(path, newDisk(path)).get(path)!;
  let geometryOf: string | undefined; // `Total device bytes` lines name no device

  for (const msg of s.messages) {
    for (const rule of RUN_RULES) {
      const m = msg.text.match(rule.re);
      if (m) rule.apply(run, m);
    }
    const geometry = msg.text.match(GEOMETRY);
    if (geometry) geometryOf = geometry.groups!.dev;
    const bytes = msg.text.match(TOTAL_BYTES);
    if (bytes && geometryOf) disk(geometryOf).sizeBytes = Number(bytes[1]);

    for (const rule of DISK_RULES) {
      const m = msg.text.match(rule.re);
      if (!m?.groups) continue;
      const d = disk(m.groups.dev);
      rule.apply?.(d, m.groups, msg.at);
      if (rule.wipe) {
        d.wiped = true;
        d.startedAt ??= msg.at;
        d.lastActivityAt = msg.at ?? d.lastActivityAt;
      }
    }
  }
  return { run, disks };
}

// ---------------------------------------------------------------------------------------
// Facts → parsed report

function mediumKind(d: DiskFacts, run: RunFacts): ParsedMediumKind | undefined {
  const bus = (d.busType ?? '').toUpperCase();
  if (bus.includes('NVME') || d.devicePath.startsWith('/dev/nvme')) return 'NVME';
  if (bus.endsWith('-SSD')) return 'SSD';
  if (bus.includes('MMC') || d.devicePath.startsWith('/dev/mmcblk')) return 'EMMC'; // mmcblk: soldered eMMC in laptops (or an SD card)
  if (bus.includes('VIRT')) return 'OTHER';
  // nwipe learns "SSD" from smartctl: without smartctl an ATA SSD looks like a plain ATA disk.
  if (/^(ATA|SAS|SCSI|IDE)$/.test(bus) && !run.noSmartctl) return 'HDD';
  return undefined; // USB, unknown bus: the bus says nothing about the medium
}

function dmi(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || DMI_PLACEHOLDERS.some((re) => re.test(v)) ? undefined : v;
}

function readHost(run: RunFacts): ParsedHost {
  const h = run.host;
  return {
    manufacturer: dmi(h['system-manufacturer']),
    productName: dmi(h['system-product-name']),
    systemSerial: dmi(h['system-serial-number']) ?? dmi(h['chassis-serial-number']),
    assetTag: dmi(h['chassis-asset-tag']) ?? dmi(h['baseboard-asset-tag']),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;

function buildDisk(d: DiskFacts, name: string, s: Session, run: RunFacts): ParsedDiskErasure {
  const statusRow = s.statusRows.get(name);
  const errorRow = s.errorRows.get(name);
  const erasureRow = s.erasureRows.get(name);
  const warnings: string[] = [];
  const failureReasons: string[] = [];

  const method = d.method ?? run.method ?? s.throughput?.method ?? 'Inconnue';
  const methodInfo = METHODS[method.replace(/\s+/g, ' ')];
  if (!methodInfo) warnings.push(`Méthode d'effacement non reconnue : ${method}`);

  // Counters: nwipe's own table first, then its debug status line, then the messages.
  const counts = errorRow ?? d.debugCounts;
  const passErrors = counts?.passErrors ?? d.passErrors ?? 0;
  const verifyErrors = counts?.verifyErrors ?? d.verifyErrors ?? 0;
  const fdatasyncErrors = counts?.fdatasyncErrors ?? d.fdatasyncErrors;

  // The run completed: the final blanking (or OPS-II random) pass ended, or, without one,
  // every round finished.
  const completed = d.sawBlanked || (d.allRoundsFinished && !d.sawBlankingStart) || d.failureEvidence;

  let status: ParsedDiskStatus;
  if (statusRow) status = statusRow.status;
  else if (d.failureEvidence || passErrors + verifyErrors + fdatasyncErrors > 0) status = 'FAILED';
  else if (completed) status = 'ERASED';
  else if (d.cancelledAt !== undefined || run.userAborted) status = 'ABORTED';
  else status = 'UNKNOWN';

  const verifyMode = s.throughput?.verify ?? run.verify;
  let verification: ParsedVerification =
    method === 'HMG IS5 Enhanced' // always verifies its last pass (options.c help)
      ? 'FULL'
      : verifyMode !== undefined
        ? (VERIFY_MODES[verifyMode] ?? 'NONE')
        : d.sawVerification
          ? 'FULL'
          : 'NONE';
  if (verification !== 'NONE' && !d.sawVerification && completed && d.wiped) {
    warnings.push("Vérification demandée mais aucune relecture n'apparaît dans le journal pour ce disque");
    verification = 'NONE';
  }

  const hiddenSectors = d.hidden ?? 'UNKNOWN';
  const kind = mediumKind(d, run);

  // Why FAILED: French, one sentence each.
  if (status !== 'ERASED') failureReasons.push(STATUS_REASONS[status] + (statusRow ? ` (${statusRow.word})` : ''));
  if (passErrors) failureReasons.push(`Erreurs d'écriture : ${passErrors}`);
  if (verifyErrors) failureReasons.push(`Erreurs de vérification : ${verifyErrors}`);
  if (fdatasyncErrors) failureReasons.push(`Erreurs de synchronisation (fdatasync) : ${fdatasyncErrors}`);
  if (hiddenSectors === 'DETECTED_NOT_WIPED') {
    failureReasons.push('Zone cachée (HPA/DCO) détectée et non effacée : nwipe ne la supprime pas');
  }
  if (status === 'ERASED' && !completed) failureReasons.push("La fin de l'effacement n'apparaît pas dans le journal");
  if (status === 'ERASED' && d.failureEvidence) failureReasons.push('nwipe signale un échec pour ce disque dans ses messages');
  if (methodInfo && !methodInfo.overwrites) {
    failureReasons.push(`La méthode « ${method} » ne fait que relire le disque : ce n'est pas un effacement`);
  }
  if (erasureRow && erasureRow.bytesErased < erasureRow.bytesTotal) {
    failureReasons.push(`Octets effacés : ${erasureRow.bytesErased} sur ${erasureRow.bytesTotal}`);
  }

  // Worth knowing, not failing.
  if (d.ioRetries) {
    const recovered = Math.max(0, d.ioIncidents - d.ioGiveUps);
    warnings.push(
      `Nouvelles tentatives d'entrée/sortie : ${d.ioRetries}` +
        (recovered ? ` (${plural(recovered, 'erreur')} ${recovered > 1 ? 'récupérées' : 'récupérée'} : surveiller ce disque)` : ''),
    );
  }
  if (d.skippedVerifications) {
    warnings.push(`Vérification sautée pour ${plural(d.skippedVerifications, 'passe')} à cause d'erreurs d'écriture`);
  }
  const tableSerial = statusRow?.serial && !MASKED_SERIAL.test(statusRow.serial) ? statusRow.serial : undefined;
  const serial = d.serial ?? tableSerial;
  if (!serial) {
    warnings.push(
      d.serialMasked
        ? 'Numéro de série masqué dans le journal (option -q de nwipe) : identifier le disque à la main'
        : 'Numéro de série absent du journal : identifier le disque à la main',
    );
  }
  if (hiddenSectors === 'UNKNOWN' && kind !== 'NVME' && kind !== 'EMMC') {
    warnings.push('Présence de zones cachées (HPA/DCO) non déterminée');
  }

  // nwipe's own duration (end − start, or summary time − start for an interrupted wipe) when
  // it is there; otherwise the wipe thread's last message, or its cancellation if it never ended.
  const startedAt = d.startedAt;
  const endedAt =
    startedAt && statusRow?.durationSeconds !== undefined
      ? addSeconds(startedAt, statusRow.durationSeconds)
      : (!completed && d.cancelledAt) || d.lastActivityAt;

  return {
    devicePath: d.devicePath,
    model: d.model ?? statusRow?.model,
    serial,
    sizeBytes: d.sizeBytes ?? erasureRow?.bytesTotal,
    mediumKind: kind,
    method,
    prng: run.prng,
    rounds: d.rounds ?? run.rounds ?? s.throughput?.rounds,
    blanking: s.throughput?.blanking ?? (run.optionsLogged ? !run.noBlank : d.sawBlankingStart || undefined),
    verification,
    level: OVERWRITE_LEVEL,
    passErrors,
    verifyErrors,
    fdatasyncErrors,
    ioRetries: d.ioRetries,
    hiddenSectors,
    startedAt,
    endedAt,
    status,
    result: failureReasons.length === 0 ? 'PASSED' : 'FAILED',
    failureReasons,
    warnings,
  };
}

/** Table rows name `sda`; messages name `/dev/sda`. */
function tableNameOf(path: string): string {
  return path.replace(/^\/dev\//, '');
}

function parseSession(s: Session): ParsedErasureReport {
  const { run, disks } = readFacts(s);
  const warnings: string[] = [];

  // The disks of this run: the table rows (nwipe's own list), then any other disk the
  // messages show being wiped. Disks only enumerated (not selected, or excluded) are not records.
  const all = [...disks.values()];
  const named = (d: DiskFacts, name: string) => tableNameOf(d.devicePath) === name || d.devicePath.endsWith('/' + name);
  const rows = s.tableOrder.map((name) => ({
    name,
    facts: all.find((d) => d.wiped && named(d, name)) ?? all.find((d) => named(d, name)) ?? newDisk('/dev/' + name),
  }));
  const others = all
    .filter((d) => d.wiped && !s.tableOrder.some((name) => named(d, name)))
    .map((d) => ({ name: tableNameOf(d.devicePath), facts: d }));
  const parsed = [...rows, ...others].map(({ name, facts }) => buildDisk(facts, name, s, run));

  if (s.statusRows.size === 0 && parsed.length > 0) {
    warnings.push("Pas de tableau « Drive Status » (nwipe ≤ 0.28 ou journal tronqué) : statut déduit des messages");
  }
  if (run.userAborted) warnings.push("nwipe a été interrompu par l'utilisateur");
  return { tool: 'nwipe', toolVersion: run.toolVersion, host: readHost(run), disks: parsed, warnings };
}

// ---------------------------------------------------------------------------------------

const ANY_PREFIXED_LINE = new RegExp(PREFIX.source, 'm');
const NWIPE_MARKERS = /\bnwipe\b|Invoking method '|\*+ Drive Status \*+|Blanking device /i;

export class NwipeLogParser implements ErasureReportParser {
  readonly tool = 'nwipe';

  canParse(text: string): boolean {
    return ANY_PREFIXED_LINE.test(text) && NWIPE_MARKERS.test(text);
  }

  parse(text: string): ParsedErasureReport {
    const sessions = readSessions(text).map(parseSession);
    const warnings = sessions.flatMap((s) => s.warnings);
    if (sessions.length > 1) warnings.unshift(`Le journal contient ${sessions.length} exécutions successives de nwipe`);
    const disks = sessions.flatMap((s) => s.disks);
    if (disks.length === 0) warnings.push("Aucun disque effacé n'apparaît dans le journal");
    const host = sessions.map((s) => s.host).find((h) => Object.values(h).some(Boolean)) ?? {};
    if (!host.systemSerial) warnings.push('Numéro de série de la machine absent du journal');
    const toolVersion = sessions.map((s) => s.toolVersion).find(Boolean);
    if (!toolVersion) warnings.push('Version de nwipe absente du journal (nwipe ≤ 0.28 ne la note pas)');
    return { tool: this.tool, toolVersion, host, disks, warnings };
  }
}
