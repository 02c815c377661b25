/**
 * The H5P page's script, on the content origin: starts h5p-standalone (served from /h5p/) on the
 * unpacked .h5p file under the token's path, embedded in this page (no second frame).
 */
interface Settings {
  /** The package's root on this origin: h5p.json, content/ and the library folders are under it. */
  h5pJsonPath: string;
  mainJs: string;
  frameJs: string;
  frameCss: string;
}

interface H5PStandaloneGlobal { H5P: new (element: HTMLElement, options: Omit<Settings, 'mainJs'> & { embedType: 'div'; frame: boolean; copyright: boolean; export: boolean }) => unknown }

/**
 * The player sits in a frame of another site than the page's: browsers that block third-party
 * storage throw on any use of `localStorage`, which H5P's core reads unguarded. It gets a storage
 * that lives as long as the page (nothing of H5P's needs more: attempts are not stored for H5P).
 */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() { return items.size; },
    clear: () => items.clear(),
    getItem: (key) => items.get(String(key)) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => { items.delete(String(key)); },
    setItem: (key, value) => { items.set(String(key), String(value)); },
  };
}

try {
  void window.localStorage.length;
} catch {
  Object.defineProperty(window, 'localStorage', { value: memoryStorage(), configurable: true });
}

const { mainJs, ...settings } = JSON.parse(document.getElementById('h5p-settings')!.textContent!) as Settings;
const script = document.createElement('script');
script.src = mainJs;
script.onload = () => {
  const standalone = (window as unknown as { H5PStandalone: H5PStandaloneGlobal }).H5PStandalone;
  new standalone.H5P(document.getElementById('h5p-container')!, { ...settings, embedType: 'div', frame: false, copyright: false, export: false });
};
document.head.append(script);
