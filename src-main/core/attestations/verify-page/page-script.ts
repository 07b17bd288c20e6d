/**
 * The script of the standalone verification page (bundled by esbuild into the one HTML file the region writes;
 * see verify-page.ts). It runs in any browser, from file:// or a static host, with no network: it reads the signed
 * code from the URL fragment (`#JISR1.…`, never sent to a server), checks the Ed25519 signature against the
 * office keys held in the page (WebCrypto when the browser has Ed25519, else @noble/ed25519), checks the region's
 * signature of the list of revoked and replaced serials held in the page, and says, in Arabic or French:
 * valid / revoked (date, reason) / replaced (by which serial) / altered / unknown office.
 * An altered code is never shown with its values.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2';

export interface PageOffice {
  code: string;
  nameAr: string;
  nameFr: string;
  /** Raw Ed25519 public key, base64url (32 bytes). */
  key: string;
}
export interface StatusList {
  kind: 'jisr-attestation-status';
  version: 1;
  region: { code: string; nameAr: string; nameFr: string };
  issuedAt: string;
  revoked: { serial: string; at: string; reason: string }[];
  replaced: { serial: string; by: string; at: string }[];
}
export interface PageData {
  offices: PageOffice[];
  kinds: Record<string, { ar: string; fr: string }>;
  /** The list and the region's signature over canonicalJson(list), with the region's raw public key. */
  list: StatusList;
  listSignature: string;
  regionKey: string;
}

type Lang = 'ar' | 'fr';
type Verdict = 'valid' | 'revoked' | 'replaced' | 'altered' | 'unknown_office' | 'no_code';

const T = {
  ar: {
    title: 'التحقق من شهادة — برنامج جسر للتمكين والريادة',
    verdict: {
      valid: 'شهادة صحيحة',
      revoked: 'شهادة ملغاة',
      replaced: 'شهادة معوضة بشهادة أحدث',
      altered: 'رمز غير صالح أو تم تغييره',
      unknown_office: 'مكتب غير معروف',
      no_code: 'لا يوجد رمز للتحقق',
    },
    explain: {
      valid: 'التوقيع الإلكتروني للمكتب صحيح، والشهادة غير ملغاة في لائحة {{date}}.',
      revoked: 'ألغيت هذه الشهادة بتاريخ {{at}}. السبب: {{reason}}',
      replaced: 'عوضتها الشهادة رقم {{by}} بتاريخ {{at}}: اطلبوا الشهادة الجديدة.',
      altered: 'محتوى الرمز لا يطابق توقيع المكتب: لا يمكن الاعتماد على أي معلومة فيه.',
      unknown_office: 'هذه الشهادة موقعة من مكتب لا تعرفه هذه الصفحة.',
      no_code: 'امسحوا رمز QR المطبوع على الشهادة بكاميرا الهاتف.',
    },
    fields: { name: 'الاسم', kind: 'نوع الشهادة', serial: 'الرقم', hours: 'الساعات', issueDate: 'تاريخ الإصدار', office: 'المكتب المصدر' },
    hours: '{{n}} ساعة',
    listBad: 'تنبيه: لائحة الشهادات الملغاة في هذه الصفحة غير موقعة بشكل صحيح.',
    listDate: 'لائحة الشهادات الملغاة بتاريخ {{date}} — {{region}}',
    other: 'Français',
  },
  fr: {
    title: "Vérification d'une attestation — programme Jisr pour l'autonomisation et le leadership",
    verdict: {
      valid: 'Attestation authentique',
      revoked: 'Attestation révoquée',
      replaced: 'Attestation remplacée par une plus récente',
      altered: 'Code invalide ou altéré',
      unknown_office: 'Bureau inconnu',
      no_code: 'Aucun code à vérifier',
    },
    explain: {
      valid: "La signature électronique du bureau est correcte et l'attestation n'est pas révoquée dans la liste du {{date}}.",
      revoked: 'Cette attestation a été révoquée le {{at}}. Motif : {{reason}}',
      replaced: "Elle a été remplacée par l'attestation n° {{by}} le {{at}} : demandez la nouvelle.",
      altered: 'Le contenu du code ne correspond pas à la signature du bureau : aucune information ne peut en être retenue.',
      unknown_office: 'Cette attestation est signée par un bureau que cette page ne connaît pas.',
      no_code: "Scannez le code QR imprimé sur l'attestation avec l'appareil photo du téléphone.",
    },
    fields: { name: 'Nom', kind: "Type d'attestation", serial: 'Numéro', hours: 'Heures', issueDate: 'Date de délivrance', office: 'Bureau émetteur' },
    hours: '{{n}} heures',
    listBad: "Attention : la liste des attestations révoquées de cette page n'est pas correctement signée.",
    listDate: 'Liste des attestations révoquées du {{date}} — {{region}}',
    other: 'العربية',
  },
} as const;

const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(v[k] ?? ''));

function b64url(s: string): Uint8Array {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

/** Ed25519 verification: WebCrypto when the browser has it, else @noble/ed25519 (with SHA-512 from @noble/hashes). */
export async function verifyEd25519(key: Uint8Array, sig: Uint8Array, msg: Uint8Array): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    try {
      const k = await subtle.importKey('raw', key as BufferSource, { name: 'Ed25519' }, false, ['verify']);
      return await subtle.verify({ name: 'Ed25519' }, k, sig as BufferSource, msg as BufferSource);
    } catch {
      // No Ed25519 in this browser's WebCrypto: the library below.
    }
  }
  ed.hashes.sha512 = (m) => sha512(m) as Uint8Array<ArrayBuffer>;
  try {
    return ed.verify(sig, msg, key);
  } catch {
    return false;
  }
}

/** JSON with keys sorted at every level (what the region signed). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const SERIAL_RE = /^([A-Z]{2,6})-(\d{4})-(?:([A-Z])-)?(\d{6,9})$/;

export interface Outcome {
  verdict: Verdict;
  facts: { serial: string; kind: string; name: string; issueDate: string; hours: number | null } | null;
  office: PageOffice | null;
  revoked?: { at: string; reason: string };
  replaced?: { by: string; at: string };
  listOk: boolean;
}

export async function check(fragment: string, data: PageData): Promise<Outcome> {
  const enc = new TextEncoder();
  const listOk = await verifyEd25519(b64url(data.regionKey), b64url(data.listSignature), enc.encode(canonicalJson(data.list)));
  let code = fragment.replace(/^#/, '').trim();
  try {
    code = decodeURIComponent(code);
  } catch {
    // not percent-encoded: as is
  }
  if (!code) return { verdict: 'no_code', facts: null, office: null, listOk };
  const altered: Outcome = { verdict: 'altered', facts: null, office: null, listOk };
  const m = /^JISR1\.([A-Za-z0-9_-]{8,2000})\.([A-Za-z0-9_-]{86})$/.exec(code);
  if (!m) return altered;
  let arr: unknown;
  try {
    arr = JSON.parse(new TextDecoder().decode(b64url(m[1])));
  } catch {
    return altered;
  }
  if (!Array.isArray(arr) || arr.length !== 6) return altered;
  const [serial, kind, name, , issueDate, hours] = arr as [unknown, unknown, unknown, unknown, unknown, unknown];
  if (typeof serial !== 'string' || typeof kind !== 'string' || typeof name !== 'string' || typeof issueDate !== 'string') return altered;
  if (!(hours === null || typeof hours === 'number')) return altered;
  const sm = SERIAL_RE.exec(serial);
  if (!sm) return altered;
  const office = data.offices.find((o) => o.code === sm[1]) ?? null;
  if (!office) return { verdict: 'unknown_office', facts: null, office: null, listOk };
  const ok = await verifyEd25519(b64url(office.key), b64url(m[2]), enc.encode(`JISR1.${m[1]}`));
  // The values are shown only once the signature holds.
  if (!ok) return { ...altered, office };
  const facts = { serial, kind, name, issueDate, hours };
  const rev = data.list.revoked.find((r) => r.serial === serial);
  if (rev) return { verdict: 'revoked', facts, office, revoked: { at: rev.at, reason: rev.reason }, listOk };
  const rep = data.list.replaced.find((r) => r.serial === serial);
  if (rep) return { verdict: 'replaced', facts, office, replaced: { by: rep.by, at: rep.at }, listOk };
  return { verdict: 'valid', facts, office, listOk };
}

// ---------- the page ----------

/** The verdict colours (the stylesheet of verify-page.ts). */
export const COLOURS: Record<Verdict, string> = {
  valid: '#1b7f3b',
  revoked: '#b00020',
  replaced: '#b25e00',
  altered: '#b00020',
  unknown_office: '#b25e00',
  no_code: '#555',
};

/** dd/mm/yyyy in both languages, as the app's formatting module writes dates (shared/format). */
function fmtDate(iso: string, _lang: Lang): string {
  const [y, mo, d] = iso.slice(0, 10).split('-');
  return `${d}/${mo}/${y}`;
}

function el(tag: string, attrs: Record<string, string>, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
/** Latin values (serials, dates, numbers) inside Arabic text keep their own direction. */
const ltr = (s: string) => el('bdi', { dir: 'ltr' }, s);

function render(root: HTMLElement, o: Outcome, data: PageData, lang: Lang, onLang: (l: Lang) => void) {
  const t = T[lang];
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  document.title = t.title;
  root.replaceChildren();
  const switcher = el('button', { type: 'button', id: 'lang', lang: lang === 'ar' ? 'fr' : 'ar' }, t.other);
  switcher.addEventListener('click', () => onLang(lang === 'ar' ? 'fr' : 'ar'));
  root.append(el('header', {}, el('h1', {}, t.title), switcher));

  const at = (s: string) => fmtDate(s, lang);
  const explain =
    o.verdict === 'valid'
      ? fill(t.explain.valid, { date: at(data.list.issuedAt) })
      : o.verdict === 'revoked'
        ? fill(t.explain.revoked, { at: at(o.revoked!.at), reason: o.revoked!.reason })
        : o.verdict === 'replaced'
          ? fill(t.explain.replaced, { by: o.replaced!.by, at: at(o.replaced!.at) })
          : t.explain[o.verdict];
  root.append(
    el(
      'section',
      // Colours by class: the page's Content-Security-Policy allows no inline style attribute.
      { id: 'verdict', 'data-verdict': o.verdict, class: `v-${o.verdict}` },
      el('div', { class: 'badge' }, t.verdict[o.verdict]),
      el('p', { id: 'explain' }, explain),
    ),
  );
  if (o.facts) {
    const f = o.facts;
    const kind = data.kinds[f.kind];
    const rows: [string, Node | string][] = [
      [t.fields.name, ltr(f.name)],
      [t.fields.kind, kind ? kind[lang] : f.kind],
      [t.fields.serial, ltr(f.serial)],
      ...(f.hours !== null ? ([[t.fields.hours, fill(t.hours, { n: lang === 'fr' ? String(f.hours).replace('.', ',') : String(f.hours) })]] as [string, string][]) : []),
      [t.fields.issueDate, ltr(at(f.issueDate))],
      [t.fields.office, o.office ? (lang === 'ar' ? o.office.nameAr : o.office.nameFr) : ''],
    ];
    root.append(el('table', { id: 'facts' }, ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))));
  }
  if (!o.listOk) root.append(el('p', { id: 'list-bad', class: 'warn' }, t.listBad));
  root.append(
    el('footer', {}, fill(t.listDate, { date: at(data.list.issuedAt), region: lang === 'ar' ? data.list.region.nameAr : data.list.region.nameFr })),
  );
}

async function main() {
  const data = JSON.parse(document.getElementById('jisr-data')!.textContent!) as PageData;
  const root = document.getElementById('app')!;
  let lang: Lang = /^fr/i.test(navigator.language) ? 'fr' : 'ar';
  const m = /[?&]lang=(ar|fr)/.exec(location.search);
  if (m) lang = m[1] as Lang;
  let outcome = await check(location.hash, data);
  const draw = () => render(root, outcome, data, lang, (l) => ((lang = l), draw()));
  draw();
  window.addEventListener('hashchange', async () => {
    outcome = await check(location.hash, data);
    draw();
  });
  document.body.setAttribute('data-ready', '1');
}

if (typeof document !== 'undefined' && document.getElementById('jisr-data')) void main();
