/// <reference lib="dom" />
/**
 * The upload island (PeerTube's way): each file chosen starts uploading at once over tus while the
 * teacher fills in the form. On the new-material page the first file creates the draft (the tus
 * upload needs its id). Each file shows an accessible <progress> with its percent in text, can be
 * paused and resumed, retries with backoff after a dropped connection, and resumes after the tab
 * was closed (tus-js-client keeps the upload URL under the file's fingerprint in localStorage).
 *
 * It authenticates with the upload token the page carries (src/auth/upload-token.ts), renewed
 * through a CSRF-protected page endpoint before it runs out: the tus endpoint never takes cookies.
 * A file the material type does not accept is refused here, before any byte is sent (the page
 * carries the allow-list of src/files/allow-list.ts), and by the server after.
 */
import { Upload, type DetailedError, type HttpRequest } from 'tus-js-client';

const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000, 60_000];
/** Renew the upload token when less than this is left of it. */
const RENEW_BEFORE_MS = 5 * 60_000;

const percent = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });

function size(bytes: number): string {
  const units = ['byte', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: unit ? 1 : 0 }).format(value)} ${units[unit]}`;
}

/** The message of our JSON error body, or the fault in Vietnamese. */
function messageOf(error: Error | DetailedError): string {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  try {
    const body = JSON.parse(response?.getBody() ?? '') as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not our JSON: a network fault
  }
  return 'Mất kết nối tới máy chủ. Hãy kiểm tra mạng rồi bấm “Tiếp tục”.';
}

function setUp(panel: HTMLElement): void {
  const input = panel.querySelector<HTMLInputElement>('input[type=file]')!;
  const list = panel.querySelector<HTMLUListElement>('[data-upload-list]')!;
  const message = panel.querySelector<HTMLElement>('[data-upload-message]')!;
  const form = panel.closest('form:not([data-upload-fallback])') as HTMLFormElement | null;
  const typeSelect = form?.querySelector<HTMLSelectElement>('select[name=type]') ?? null;
  const data = panel.dataset;
  let token = data.token ?? '';
  let tokenExpires = Date.parse(data.tokenExpires ?? '') || 0;
  let renewing: Promise<void> | null = null;
  let creatingDraft: Promise<string> | null = null;

  // With script the file goes over tus; the plain form (no script) loses its button and its multiple choice.
  panel.querySelectorAll<HTMLElement>('[data-no-script], [data-upload-fallback-submit]').forEach((element) => (element.hidden = true));
  input.multiple = true;
  input.removeAttribute('name');

  function say(text: string | null): void {
    message.textContent = text ?? '';
    message.hidden = !text;
  }

  function accepted(): { extensions: string[]; mimes: string[] } {
    const source = typeSelect?.selectedOptions[0]?.dataset ?? data;
    return { extensions: (source.extensions ?? '').split(' ').filter(Boolean), mimes: (source.mimes ?? '').split(' ').filter(Boolean) };
  }

  function accepts(file: File): boolean {
    const { extensions, mimes } = accepted();
    const extension = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? '';
    return extensions.includes(extension) || (file.type !== '' && mimes.includes(file.type));
  }

  function updateAccept(): void {
    const { extensions, mimes } = accepted();
    input.accept = [...extensions.map((e) => `.${e}`), ...mimes].join(',');
  }
  typeSelect?.addEventListener('change', updateAccept);

  async function renewToken(): Promise<void> {
    const response = await fetch(data.tokenUrl!, { method: 'POST', headers: { accept: 'application/json', 'x-csrf-token': data.csrf! }, credentials: 'same-origin' });
    if (!response.ok) throw new Error('Phiên đăng nhập đã hết hạn: hãy đăng nhập lại, rồi chọn lại tệp để tải tiếp.');
    const body = (await response.json()) as { token: string; expiresAt: string };
    token = body.token;
    tokenExpires = Date.parse(body.expiresAt);
  }

  async function freshToken(force = false): Promise<string> {
    if (force || tokenExpires - Date.now() < RENEW_BEFORE_MS) {
      renewing ??= renewToken().finally(() => (renewing = null));
      await renewing;
    }
    return token;
  }

  /** New-material page: the draft the files go to, created from what the form holds when the first file is chosen. */
  async function materialId(first: File): Promise<string> {
    if (data.materialId) return data.materialId;
    creatingDraft ??= (async () => {
      const title = form!.querySelector<HTMLInputElement>('input[name=title]')!;
      if (title.value.trim() === '') title.value = first.name.replace(/\.[^.]+$/, '');
      const response = await fetch(data.draftUrl!, {
        method: 'POST', credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': data.csrf! },
        body: new URLSearchParams(new FormData(form!) as unknown as Record<string, string>),
      });
      const body = (await response.json()) as { id?: string; url?: string; error?: { message: string } };
      if (!response.ok || !body.id) throw new Error(body.error?.message ?? 'Chưa tạo được bản nháp.');
      data.materialId = body.id;
      form!.querySelector<HTMLInputElement>('input[name=materialId]')!.value = body.id;
      // The type is the draft's now: the server no longer takes it.
      if (typeSelect) typeSelect.disabled = true;
      say(null);
      const notice = document.createElement('p');
      notice.className = 'notice';
      notice.append('Đã tạo bản nháp. Tệp đang tải lên; bạn vẫn điền tiếp thông tin rồi bấm “Lưu bản nháp”. ');
      const link = document.createElement('a');
      link.href = body.url!;
      link.textContent = 'Mở trang của học liệu';
      notice.append(link);
      panel.prepend(notice);
      return body.id;
    })().catch((error: Error) => {
      creatingDraft = null;
      throw error;
    });
    return creatingDraft;
  }

  function row(file: File) {
    const item = document.createElement('li');
    const id = `tai-len-${Math.random().toString(36).slice(2)}`;
    const name = document.createElement('strong');
    name.id = id;
    name.textContent = file.name;
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-labelledby', id);
    const text = document.createElement('span');
    text.setAttribute('aria-live', 'polite');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button secondary';
    button.textContent = 'Tạm dừng';
    const error = document.createElement('p');
    error.className = 'upload-error';
    error.hidden = true;
    item.append(name, document.createElement('br'), bar, ' ', text, ' ', button, error);
    list.append(item);
    return { bar, text, button, error };
  }

  async function upload(file: File): Promise<void> {
    const view = row(file);
    if (!accepts(file)) {
      view.bar.remove();
      view.button.remove();
      view.error.hidden = false;
      view.error.textContent = `Loại học liệu này không nhận tệp “${file.name}”. Tệp được nhận: ${accepted().extensions.map((e) => `.${e}`).join(', ')}.`;
      return;
    }
    view.text.textContent = 'Đang chuẩn bị…';
    let target: string;
    try {
      target = await materialId(file);
    } catch (error) {
      view.text.textContent = '';
      view.error.hidden = false;
      view.error.textContent = (error as Error).message;
      view.button.remove();
      return;
    }
    let running = true;
    const tus: Upload = new Upload(file, {
      endpoint: data.endpoint!,
      retryDelays: RETRY_DELAYS,
      metadata: { materialId: target, filename: file.name, filetype: file.type || 'application/octet-stream' },
      // The material is part of the fingerprint: the same file chosen for another material is another upload.
      fingerprint: async () => ['hoclieu', target, file.name, file.type, file.size, file.lastModified, data.endpoint].join('-'),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      async onBeforeRequest(request: HttpRequest) {
        request.setHeader('Authorization', `Bearer ${await freshToken()}`);
        request.setHeader('Accept-Language', 'vi');
      },
      onShouldRetry(error: DetailedError, _attempt: number) {
        const status = error.originalResponse?.getStatus() ?? 0;
        // An upload token that ran out meanwhile: renew it and go on.
        if (status === 401) {
          void freshToken(true).catch(() => undefined);
          return true;
        }
        // Refusals (type, size, state, permission) will not change by retrying; cuts and server faults may.
        return status === 0 || status === 409 || status === 423 || status >= 500;
      },
      onProgress(sent: number, total: number) {
        const value = total ? (sent / total) * 100 : 0;
        view.bar.value = value;
        view.bar.textContent = `${percent.format(value)}%`;
        view.text.textContent = `${percent.format(value)}% (${size(sent)} / ${size(total)})`;
      },
      onSuccess() {
        running = false;
        view.bar.value = 100;
        view.text.textContent = 'Đã tải lên xong. Tệp đang được kiểm tra và xử lý: tải lại trang để xem tình trạng.';
        view.button.remove();
      },
      onError(error: Error | DetailedError) {
        running = false;
        view.button.textContent = 'Thử lại';
        view.error.hidden = false;
        view.error.textContent = messageOf(error);
      },
    });
    view.button.addEventListener('click', () => {
      if (running) {
        running = false;
        void tus.abort();
        view.button.textContent = 'Tiếp tục';
        view.text.textContent = `Đã tạm dừng ở ${view.text.textContent?.split(' ')[0] ?? ''}`;
      } else {
        running = true;
        view.error.hidden = true;
        view.button.textContent = 'Tạm dừng';
        tus.start();
      }
    });
    // A file chosen again after the tab was closed continues where it stopped.
    const previous = (await tus.findPreviousUploads()).filter((p) => p.metadata.materialId === target);
    if (previous[0]) {
      tus.resumeFromPreviousUpload(previous[0]);
      view.text.textContent = 'Tiếp tục lần tải trước…';
    }
    tus.start();
  }

  input.addEventListener('change', () => {
    say(null);
    const files = [...(input.files ?? [])];
    input.value = '';
    for (const file of files) void upload(file);
  });
}

document.querySelectorAll<HTMLElement>('[data-upload]').forEach(setUp);
