/// <reference lib="dom" />
/**
 * Suggestions while typing in the search box (home and search pages), from
 * GET /api/v1/search/suggest?q=. Without this island the box is a plain search field of a GET form.
 *
 * A WAI-ARIA 1.2 combobox with a listbox, not a <datalist>: a datalist's options can only fill the
 * box (a suggested subject must set the filter instead), its popup is drawn by the browser and
 * differs between phones, and it cannot say what kind each suggestion is. Focus stays in the box;
 * the arrow keys move aria-activedescendant, Enter picks, Escape closes; a tap picks too.
 */
interface Suggestion {
  kind: 'title' | 'level' | 'subject' | 'type' | 'series';
  label: string;
  code?: string;
}

const DEBOUNCE_MS = 150;
const MIN_LENGTH = 2;
const KIND_NAMES: Record<Suggestion['kind'], string> = { title: 'Học liệu', level: 'Cấp học', subject: 'Môn học', type: 'Loại học liệu', series: 'Bộ sách' };

let instances = 0;

function setUp(form: HTMLFormElement): void {
  const box = form.querySelector<HTMLInputElement>('input[name=q]');
  const endpoint = form.dataset.searchSuggest;
  if (!box || !endpoint) return;
  const input: HTMLInputElement = box;
  const filters = JSON.parse(form.dataset.suggestFilters ?? '{}') as Record<string, string>;
  const id = `goi-y-${++instances}`;
  const list = document.createElement('ul');
  list.id = id;
  list.className = 'suggestions';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Gợi ý tìm kiếm');
  list.hidden = true;
  const status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  input.after(list, status);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', id);
  input.setAttribute('aria-expanded', 'false');
  input.autocomplete = 'off';

  let shown: Suggestion[] = [];
  let active = -1;
  let timer = 0;
  let pending: AbortController | null = null;

  function close(): void {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(index: number): void {
    active = index;
    [...list.children].forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    if (index < 0) input.removeAttribute('aria-activedescendant');
    else {
      input.setAttribute('aria-activedescendant', `${id}-${index}`);
      list.children[index]!.scrollIntoView({ block: 'nearest' });
    }
  }

  function render(suggestions: Suggestion[]): void {
    shown = suggestions;
    list.replaceChildren(...suggestions.map((suggestion, i) => {
      const option = document.createElement('li');
      option.id = `${id}-${i}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      const kind = document.createElement('span');
      kind.className = 'meta';
      kind.textContent = ` · ${KIND_NAMES[suggestion.kind]}`;
      option.append(suggestion.label, kind);
      return option;
    }));
    active = -1;
    input.removeAttribute('aria-activedescendant');
    list.hidden = suggestions.length === 0;
    input.setAttribute('aria-expanded', String(suggestions.length > 0));
    status.textContent = suggestions.length ? `${suggestions.length} gợi ý, dùng phím mũi tên để chọn.` : '';
  }

  /** A term sets its filter (the typed prefix was its name); a title fills the box. Either way, the search runs. */
  function pick(suggestion: Suggestion): void {
    close();
    const param = suggestion.code ? filters[suggestion.kind] : undefined;
    if (!param) {
      input.value = suggestion.label;
      form.requestSubmit();
      return;
    }
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value && name !== 'q') query.set(name, value);
    query.set(param, suggestion.code!);
    window.location.assign(`${form.action}?${query}`);
  }

  async function load(text: string): Promise<void> {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    try {
      const answer = await fetch(`${endpoint}?${new URLSearchParams({ q: text })}`, { headers: { accept: 'application/json' }, signal: controller.signal });
      if (!answer.ok) return;
      const { suggestions } = (await answer.json()) as { suggestions: Suggestion[] };
      // Only the answer to what is typed now (a slower, older one was aborted).
      if (input.value.trim() === text && document.activeElement === input) render(suggestions);
    } catch {
      // Aborted or offline: the form still works without suggestions.
    }
  }

  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    const text = input.value.trim().slice(0, 100);
    if (text.length < MIN_LENGTH) {
      pending?.abort();
      render([]);
      return;
    }
    timer = window.setTimeout(() => void load(text), DEBOUNCE_MS);
  });

  input.addEventListener('keydown', (event) => {
    const open = !list.hidden && shown.length > 0;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!open) return;
      event.preventDefault();
      // Past either end, back to the box itself (none active), as the APG combobox does.
      const next = active + (event.key === 'ArrowDown' ? 1 : -1);
      highlight(next >= shown.length ? -1 : next < -1 ? shown.length - 1 : next);
    } else if (event.key === 'Enter' && open && active >= 0) {
      event.preventDefault();
      pick(shown[active]!);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    }
  });

  // Pressed, not clicked: the box keeps its focus (blur would close the list first).
  list.addEventListener('mousedown', (event) => event.preventDefault());
  list.addEventListener('click', (event) => {
    const option = (event.target as Element).closest('[role=option]');
    const index = option ? [...list.children].indexOf(option) : -1;
    if (index >= 0) pick(shown[index]!);
  });
  input.addEventListener('blur', close);
  form.addEventListener('submit', close);
}

document.querySelectorAll<HTMLFormElement>('form[data-search-suggest]').forEach(setUp);
