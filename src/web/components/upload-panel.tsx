import { CsrfField } from './form.js';

export interface UploadPanelProps {
  /** The tus endpoint (/api/v1/uploads). */
  endpoint: string;
  /** The upload token of this page's session (src/auth/upload-token.ts), null when the page has no session cookie. */
  uploadToken: { token: string; expiresAt: string } | null;
  csrfToken: string;
  /** The material the files go to; absent on the new-material page until its draft exists. */
  materialId?: string;
  /** New-material page: where the island creates the draft when the first file is chosen. */
  draftUrl?: string;
  /** What the material's type accepts (src/files/allow-list.ts); on the new page the type select's option says it. */
  accepted?: { extensions: string[]; mimes: string[] };
  /** Without script: a plain multipart form to this action (workspace page only). */
  fallbackAction?: string;
}

/**
 * The file picker of a material, driven by the upload island (src/web/islands/upload.ts): each file
 * chosen is uploaded at once over tus, with a progress bar, pause and resume, retries after a cut,
 * and resumption after the tab was closed. Without script, the workspace page posts the file.
 */
export function UploadPanel(props: UploadPanelProps) {
  const accept = props.accepted ? [...props.accepted.extensions.map((e) => `.${e}`), ...props.accepted.mimes].join(',') : undefined;
  const picker = (
    <>
      <label for="truong-tep">Tệp học liệu</label>
      <p class="hint" id="truong-tep-goi-y">
        Chọn một hoặc nhiều tệp: tệp được tải lên ngay trong khi bạn điền thông tin. Có thể tạm dừng, tiếp tục, và tải tiếp sau khi đóng trang (chọn lại đúng tệp đó).
      </p>
      <input type="file" id="truong-tep" name={props.fallbackAction ? 'file' : undefined} multiple={!props.fallbackAction || undefined} accept={accept} aria-describedby="truong-tep-goi-y" />
    </>
  );
  return (
    <div class="field upload-panel" data-upload data-endpoint={props.endpoint} data-token={props.uploadToken?.token} data-token-expires={props.uploadToken?.expiresAt}
      data-token-url="/cua-toi/ma-tai-len" data-csrf={props.csrfToken} data-material-id={props.materialId} data-draft-url={props.draftUrl}
      data-extensions={props.accepted?.extensions.join(' ')} data-mimes={props.accepted?.mimes.join(' ')}>
      {props.fallbackAction ? (
        <form method="post" action={props.fallbackAction} enctype="multipart/form-data" data-upload-fallback>
          <CsrfField token={props.csrfToken} />
          {picker}
          <button type="submit" class="button" data-upload-fallback-submit>Tải lên</button>
        </form>
      ) : (
        <>
          {picker}
          <p class="hint" data-no-script>Trình duyệt chưa bật JavaScript: hãy lưu bản nháp, rồi tải tệp lên ở trang của học liệu.</p>
        </>
      )}
      <p class="upload-error" role="alert" data-upload-message hidden />
      <ul class="uploads" data-upload-list aria-label="Tệp đang tải lên" />
    </div>
  );
}
