import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';

/**
 * The bench's baseline (bench/renderer.bench.ts): a bare Vite + React page built and served like the app,
 * doing the same steps with no UI library: a login form; on submit the same two calls over the web bridge
 * (auth.login, then the first page of applicants.search) and a list of the rows; a form of 20 fields.
 */
const key = new URL(location.href).searchParams.get('k') ?? '';
async function call(method: string, input: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-jisr-key': key };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch('./api/call', { method: 'POST', headers, body: JSON.stringify({ method, input }) });
  const j = await r.json();
  if (!j.ok) throw new Error(j.error.code);
  return j.value;
}

type Row = { id: string; fileNo: string; firstNameAr: string | null; lastNameAr: string | null };

function App() {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [form, setForm] = useState(false);
  const [user, setUser] = useState('');
  const [pass, setPass] = useState('');
  if (form) {
    return (
      <form data-testid="consent-section">
        {Array.from({ length: 20 }, (_, i) => (
          <label key={i} style={{ display: 'block' }}>
            field {i} <input name={`f${i}`} />
          </label>
        ))}
      </form>
    );
  }
  if (rows) {
    return (
      <div>
        <button data-testid="applicant-new" onClick={() => setForm(true)}>
          new
        </button>
        <div data-testid="applicant-list">
          {rows.map((r) => (
            <div key={r.id} data-testid="applicant-row">
              {r.fileNo} {r.firstNameAr} {r.lastNameAr}
            </div>
          ))}
        </div>
      </div>
    );
  }
  return (
    <form
      data-testid="login-form"
      onSubmit={(e) => {
        e.preventDefault();
        void (async () => {
          const { token } = await call('auth.login', { username: user, password: pass });
          const r = await call('applicants.search', { q: '', offset: 0, limit: 50 }, token);
          setRows(r.items);
        })();
      }}
    >
      <input data-testid="login-username" value={user} onChange={(e) => setUser(e.target.value)} />
      <input data-testid="login-password" type="password" value={pass} onChange={(e) => setPass(e.target.value)} />
      <button data-testid="login-submit" type="submit">
        login
      </button>
    </form>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
