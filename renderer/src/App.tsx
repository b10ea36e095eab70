// The renderer's entry screen. The catalog screens are built on the typed IPC client of the
// desktop-shell work; until then the window states what it is.
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
      <h1>Strata</h1>
      <p>Catalog of segmented file collections.</p>
    </main>
  );
}
