/**
 * One error type for the whole API. A code names what went wrong for machines; the catalogue
 * below says it to people, in Vietnamese first and English on request (Accept-Language: en).
 */
const CATALOGUE = {
  VALIDATION_FAILED: [400, 'Dữ liệu gửi lên không hợp lệ.', 'The request is not valid.'],
  WEAK_PASSWORD: [400, 'Mật khẩu quá yếu: cần ít nhất 10 ký tự, không chứa tên đăng nhập, không phải mật khẩu phổ biến hay chuỗi dễ đoán (một ký tự lặp lại, dãy liên tiếp như 1234567890, qwertyuiop).', 'The password is too weak: at least 10 characters, not containing the username, not a common password or an easy pattern (one repeated character, a run such as 1234567890 or qwertyuiop).'],
  CURRENT_PASSWORD_WRONG: [400, 'Mật khẩu hiện tại không đúng.', 'The current password is wrong.'],
  UNKNOWN_TAXONOMY_CODE: [400, 'Mã {field} "{code}" không có trong danh mục.', 'Unknown {field} code "{code}".'],
  GRADE_OUTSIDE_LEVEL: [400, 'Lớp {grade} không thuộc cấp học "{level}".', 'Grade {grade} is not part of level "{level}".'],
  GRADE_OUTSIDE_SUBJECT: [400, 'Môn "{subject}" không dạy ở lớp {grade}.', 'Subject "{subject}" is not taught in grade {grade}.'],
  REVIEW_REASONS_REQUIRED: [400, 'Khi yêu cầu chỉnh sửa hoặc không đồng ý, hãy chọn ít nhất một lý do.', 'Requesting changes or rejecting needs at least one reason.'],
  REVIEW_COMMENT_REQUIRED: [400, 'Khi yêu cầu chỉnh sửa hoặc không đồng ý, hãy ghi ý kiến cho người đóng góp.', 'Requesting changes or rejecting needs a comment for the contributor.'],
  REVIEW_REASON_UNKNOWN: [400, 'Lý do không có trong danh mục hoặc không dùng cho quyết định này: {codes}.', 'Reasons not in the checklist or not for this decision: {codes}.'],
  UNKNOWN_ORG: [400, 'Không có đơn vị mã "{code}".', 'There is no organisation with code "{code}".'],
  INVALID_ORG_PARENT: [400, 'Đơn vị cấp trên không hợp lệ: {reason}', 'Invalid parent organisation: {reason}'],
  INVALID_ORG_MERGE: [400, 'Không sáp nhập được: {reason}', 'Cannot merge: {reason}'],
  ORG_CLOSED: [409, 'Đơn vị "{code}" đã giải thể hoặc sáp nhập vào đơn vị khác.', 'Organisation "{code}" has been closed or merged into another.'],
  ORG_CHANGED: [412, 'Đơn vị đã được người khác thay đổi sau khi bạn mở nó. Hãy tải lại rồi sửa lại.', 'The organisation was changed by someone else since you read it. Reload it and try again.'],
  ORG_VERSION_REQUIRED: [428, 'Cần tiêu đề If-Match với ETag của đơn vị (lấy từ GET /api/v1/orgs/{code}).', 'An If-Match header with the organisation\'s ETag (from GET /api/v1/orgs/{code}) is required.'],
  FILE_MISSING: [400, 'Thiếu tệp trong trường "file" của biểu mẫu multipart.', 'The multipart field "file" is missing.'],
  FILE_EMPTY: [400, 'Tệp rỗng.', 'The file is empty.'],
  // Resumable uploads (tus): the protocol's own refusals, in our format
  UPLOAD_REQUEST_INVALID: [400, 'Yêu cầu tải lên tiếp nối (tus) thiếu hoặc sai tiêu đề (Upload-Length, Upload-Offset, Upload-Metadata, Content-Type…).', 'The resumable (tus) upload request has a missing or invalid header (Upload-Length, Upload-Offset, Upload-Metadata, Content-Type…).'],
  UPLOAD_OFFSET_CONFLICT: [409, 'Upload-Offset không khớp với số byte máy chủ đã nhận; hỏi lại bằng HEAD rồi gửi tiếp từ đó.', 'Upload-Offset does not match the bytes received; ask with HEAD and resume from there.'],
  UPLOAD_GONE: [410, 'Phiên tải lên đã hết hạn hoặc đã bị xoá.', 'The upload has expired or was deleted.'],
  TUS_VERSION_REQUIRED: [412, 'Cần tiêu đề Tus-Resumable: 1.0.0.', 'The Tus-Resumable: 1.0.0 header is required.'],
  UPLOAD_FEATURE_UNSUPPORTED: [501, 'Máy chủ không hỗ trợ tính năng tải lên này (ghép nhiều phần, hoãn khai báo độ dài).', 'This upload feature (concatenation, deferred length) is not supported.'],
  MULTIPART_MALFORMED: [400, 'Biểu mẫu multipart bị hỏng hoặc không trọn vẹn (thiếu boundary, hoặc bị cắt ngang).', 'The multipart form is malformed or incomplete (no boundary, or cut short).'],
  JSON_TOO_DEEP: [400, 'Dữ liệu JSON lồng nhau quá {max} cấp.', 'The JSON body is nested deeper than {max} levels.'],
  INVALID_RANGE: [416, 'Khoảng byte yêu cầu không hợp lệ.', 'The requested byte range is not satisfiable.'],
  UNAUTHENTICATED: [401, 'Cần đăng nhập.', 'Authentication required.'],
  INVALID_CREDENTIALS: [401, 'Tên đăng nhập hoặc mật khẩu không đúng.', 'Wrong username or password.'],
  FORBIDDEN: [403, 'Bạn không có quyền thực hiện thao tác này.', 'You are not allowed to do this.'],
  CSRF_INVALID: [403, 'Biểu mẫu đã hết hạn hoặc không gửi từ trang của hệ thống. Hãy tải lại trang rồi gửi lại.', 'The form has expired or was not sent from this site. Reload the page and send it again.'],
  OWN_ACCOUNT: [403, 'Không được tự khoá tài khoản hay tự đổi vai trò của chính mình.', 'You may not deactivate your own account or change your own roles.'],
  OWN_MATERIAL: [403, 'Không được thẩm định học liệu của chính mình.', 'You may not review your own material.'],
  OWN_CHANGES: [403, 'Bạn đã sửa phiên bản này nên không được thẩm định nó.', 'You changed this version, so you may not review it.'],
  NOT_FOUND: [404, 'Không tìm thấy {resource}.', '{resource} not found.'],
  ORG_CODE_TAKEN: [409, 'Mã đơn vị "{code}" đã tồn tại.', 'Organisation code "{code}" already exists.'],
  USERNAME_TAKEN: [409, 'Tên đăng nhập "{username}" đã có người dùng.', 'Username "{username}" is taken.'],
  LAST_ADMIN: [409, 'Đây là tài khoản quản trị hệ thống cuối cùng còn hoạt động: không thể khoá hay bỏ vai trò quản trị của nó.', 'This is the last active administrator: it cannot be deactivated or lose the admin role.'],
  RESET_LINK_INVALID: [410, 'Liên kết đặt lại mật khẩu không còn dùng được (đã dùng, đã hết hạn hoặc đã có liên kết mới hơn). Hãy xin quản trị viên một liên kết mới.', 'This password reset link can no longer be used (used, expired or replaced by a newer one). Ask an administrator for a new one.'],
  USER_FILE_MALFORMED: [400, 'Không đọc được tệp danh sách tài khoản: {reason}', 'The account list cannot be read: {reason}'],
  USER_IMPORT_FAILED: [422, 'Tệp có {count} lỗi nên chưa tạo tài khoản nào.', 'The file has {count} problems, so no account was created.'],
  PERSONAL_ID_TAKEN: [409, 'Mã định danh ngành đã gắn với một tài khoản khác.', 'This personal ID already belongs to another account.'],
  TASK_NOT_CLAIMED: [409, 'Cần nhận nhiệm vụ thẩm định trước khi quyết định.', 'Claim the review task before deciding.'],
  TASK_CLAIMED: [409, 'Nhiệm vụ đang được người khác thẩm định.', 'Another reviewer holds this task.'],
  TASK_CLOSED: [409, 'Nhiệm vụ thẩm định đã kết thúc.', 'This review task is closed.'],
  TASK_CLAIM_CHANGED: [409, 'Nhiệm vụ đã được trả lại hoặc nhận lại sau khi trang này mở ra; quyết định chưa được ghi. Hãy tải lại trang để xem tình trạng hiện tại.', 'The task was released or claimed again after this page was opened; the decision was not recorded. Reload the page to see where it stands.'],
  JOB_NOT_RETRYABLE: [409, 'Chỉ chạy lại được tác vụ lỗi hoặc đã huỷ (trạng thái hiện tại: {state}).', 'Only failed or cancelled jobs can be retried (state: {state}).'],
  JOB_NOT_CANCELLABLE: [409, 'Tác vụ đã kết thúc (trạng thái: {state}).', 'The job has already ended (state: {state}).'],
  ALREADY_IN_COLLECTION: [409, 'Học liệu đã có trong bộ sưu tập.', 'The material is already in the collection.'],
  FILE_TOO_LARGE: [413, 'Tệp vượt quá giới hạn {limit} byte.', 'The file exceeds the limit of {limit} bytes.'],
  BODY_TOO_LARGE: [413, 'Nội dung yêu cầu vượt quá giới hạn {limit} byte.', 'The request body exceeds the limit of {limit} bytes.'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Kiểu nội dung (Content-Type) của yêu cầu không được hỗ trợ.', 'The request Content-Type is not supported.'],
  UNSUPPORTED_QUESTION_FORMAT: [415, 'Không nhận ra định dạng ngân hàng câu hỏi. Các định dạng được hỗ trợ: {formats}.', 'Unrecognised question-bank format. Supported: {formats}.'],
  UNSUPPORTED_FILE_TYPE: [415, 'Loại tệp "{mime}" không được chấp nhận cho học liệu loại "{type}".', 'File type "{mime}" is not accepted for "{type}" materials.'],
  INVALID_STATE: [422, 'Không thể {action} khi học liệu ở trạng thái "{status}".', 'Cannot {action} while the material is "{status}".'],
  NO_FILES: [422, 'Học liệu chưa có tệp nào, không thể gửi thẩm định.', 'The material has no file; it cannot be submitted.'],
  NO_REVIEW_DEPARTMENT: [422, 'Chưa có Vụ/Cục nào thẩm định cấp học "{level}", môn "{subject}". Liên hệ quản trị hệ thống.', 'No ministry department reviews level "{level}", subject "{subject}". Contact an administrator.'],
  NO_QUESTIONS: [422, 'Ngân hàng câu hỏi chưa có câu hỏi nào, không thể gửi thẩm định.', 'The question bank has no questions; it cannot be submitted.'],
  QC_FAILED: [422, 'Bài giảng truyền hình chưa đạt kiểm tra kỹ thuật: {findings}', 'The TV lesson failed the technical check: {findings}'],
  NOT_A_QUESTION_BANK: [422, 'Chỉ học liệu loại "ngân hàng câu hỏi" mới nhập được câu hỏi.', 'Only question-bank materials hold questions.'],
  QUESTION_IMPORT_FAILED: [422, 'Tệp có {count} câu hỏi lỗi nên chưa nhập câu nào (dùng mode=partial để nhập các câu hợp lệ).', 'The file has {count} invalid questions, so nothing was imported (use mode=partial to import the valid ones).'],
  QUESTION_FILE_UNSAFE: [422, 'Tệp bị từ chối vì không an toàn: {reason}', 'The file was refused as unsafe: {reason}'],
  ARCHIVE_UNSAFE: [422, 'Tệp nén bị từ chối vì không an toàn: {reason}', 'The archive was refused as unsafe: {reason}'],
  // Interactive packages (SCORM, HTML5, H5P)
  PACKAGE_INVALID: [422, 'Gói học liệu tương tác bị từ chối: {reason}', 'The interactive package was refused: {reason}'],
  NOT_A_PACKAGE: [404, 'Tệp này không phải gói học liệu tương tác (SCORM, HTML5, H5P).', 'This file is not an interactive package (SCORM, HTML5, H5P).'],
  CONTENT_TOKEN_INVALID: [403, 'Liên kết nội dung không hợp lệ hoặc đã hết hạn; tải lại trang học liệu.', 'The content link is invalid or expired; reload the material page.'],
  ATTEMPT_NOT_STORED: [403, 'Lượt học này không được lưu (chưa đăng nhập).', 'This attempt is not stored (not signed in).'],
  QUESTION_FILE_MALFORMED: [422, 'Tệp hỏng hoặc sai cấu trúc: {reason}', 'The file is broken or malformed: {reason}'],
  MATRIX_CELL_INVALID: [422, 'Ô {cell} của ma trận cần loại câu hỏi thuộc cấu trúc đề 2025: multiple_choice (Phần I), true_false_group (Phần II), numerical hoặc short_answer (Phần III).', 'Matrix cell {cell} needs a question type of the 2025 exam layout: multiple_choice (Part I), true_false_group (Part II), numerical or short_answer (Part III).'],
  MATRIX_CELL_UNFILLABLE: [422, 'Ô {cell} của ma trận ({description}) cần {requested} câu nhưng các ngân hàng chỉ còn {available} câu phù hợp.', 'Matrix cell {cell} ({description}) needs {requested} questions but the banks have only {available} that fit.'],
  NOT_PUBLISHED: [422, 'Chỉ thêm được học liệu đã xuất bản.', 'Only published materials can be added.'],
  // YouTube publishing
  OAUTH_STATE_INVALID: [400, 'Phiên uỷ quyền Google không hợp lệ hoặc đã hết hạn; hãy bắt đầu lại từ "Kết nối kênh".', 'The Google authorisation session is invalid or expired; start again.'],
  OAUTH_DENIED: [400, 'Google không cấp quyền cho kênh ({reason}).', 'Google did not grant access to the channel ({reason}).'],
  CHANNEL_NOT_AUTHORIZED: [422, 'Kênh YouTube "{name}" chưa được kết nối (uỷ quyền) với Google.', 'YouTube channel "{name}" has not been authorised with Google.'],
  NOT_EXPORTABLE: [422, 'Không xuất được lên YouTube: {reason}', 'Cannot export to YouTube: {reason}'],
  // Broadcast schedule (TV and radio channels)
  UNKNOWN_TIMEZONE: [400, 'Múi giờ "{timezone}" không hợp lệ (dùng tên IANA, ví dụ Asia/Ho_Chi_Minh).', 'Unknown time zone "{timezone}" (use an IANA name such as Asia/Ho_Chi_Minh).'],
  SCHEDULE_RANGE_INVALID: [400, 'Khoảng thời gian không hợp lệ: "to" phải sau "from" và cách không quá {days} ngày.', 'Invalid range: "to" must be after "from" and at most {days} days later.'],
  BROADCAST_CHANNEL_CODE_TAKEN: [409, 'Mã kênh phát sóng "{code}" đã tồn tại.', 'Broadcast channel code "{code}" already exists.'],
  BROADCAST_OVERLAP: [409, 'Trùng lịch trên kênh {channel}: "{title}" phát từ {start} đến {end} (giờ Việt Nam).', 'Overlaps on channel {channel} with "{title}", airing from {start} to {end} (Vietnam time).'],
  BROADCAST_OVERLAP_IN_FILE: [409, 'Trùng giờ với dòng {other} trên kênh {channel} ("{title}", {start} đến {end}, giờ Việt Nam).', 'Overlaps row {other} on channel {channel} ("{title}", {start} to {end}, Vietnam time).'],
  BROADCAST_WRONG_TYPE: [422, 'Kênh {channel} chỉ phát học liệu loại "{expected}"; học liệu này thuộc loại "{type}".', 'Channel {channel} airs only "{expected}" materials; this one is "{type}".'],
  BROADCAST_NOT_PUBLISHED: [422, 'Chỉ xếp lịch phát sóng được học liệu đã xuất bản (và chưa lưu trữ).', 'Only published (and not archived) materials can be scheduled.'],
  BROADCAST_NO_MEDIA: [422, 'Phiên bản đã xuất bản không có tệp hình hoặc tiếng để phát.', 'The published version has no video or audio file to air.'],
  BROADCAST_MEDIA_NOT_READY: [422, 'Tệp của bài học chưa xử lý xong nên chưa biết thời lượng; thử lại sau.', 'The lesson\'s file has not finished processing, so its duration is unknown; try again later.'],
  BROADCAST_SLOT_TOO_SHORT: [422, 'Khung giờ dài {slot}, ngắn hơn thời lượng bài học ({lesson}).', 'The slot lasts {slot}, shorter than the lesson ({lesson}).'],
  BROADCAST_SLOT_NOT_STARTED: [422, 'Lịch phát bắt đầu lúc {start} (giờ Việt Nam); chưa thể đánh dấu đã phát hay bị lỡ.', 'The slot starts at {start} (Vietnam time); it cannot be marked aired or missed before then.'],
  BROADCAST_SLOT_LOCKED: [422, 'Không xoá được lịch phát đã bắt đầu hoặc đã đánh dấu; hãy đánh dấu đã phát hoặc bị lỡ.', 'A slot that has started or been marked cannot be deleted; mark it aired or missed instead.'],
  BROADCAST_SLOT_MOVE_LOCKED: [422, 'Chỉ dời được lịch phát chưa bắt đầu và chưa đánh dấu.', 'Only a slot that has not started and is not marked can be moved.'],
  BROADCAST_FILE_MALFORMED: [400, 'Không đọc được tệp lịch phát sóng: {reason}', 'The schedule file cannot be read: {reason}'],
  BROADCAST_IMPORT_FAILED: [422, 'Lịch nhập có {count} lỗi nên chưa ghi dòng nào.', 'The schedule has {count} problems, so nothing was saved.'],
  // YouTube video metadata (src/publishing/youtube/video-metadata.ts)
  PUBLISH_AT_INVALID: [400, 'Thời điểm hẹn công khai "{value}" không hợp lệ (cần dạng ISO 8601, ví dụ 2026-12-01T07:00:00+07:00).', 'The scheduled publishing time "{value}" is not valid (ISO 8601 expected, e.g. 2026-12-01T07:00:00+07:00).'],
  PUBLISH_AT_PAST: [422, 'Thời điểm hẹn công khai {publishAt} đã qua; hãy chọn một thời điểm trong tương lai.', 'The scheduled publishing time {publishAt} has passed; choose a time in the future.'],
  VIDEO_TITLE_EMPTY: [422, 'Tiêu đề video trên YouTube bị rỗng sau khi áp dụng mẫu tiêu đề của kênh; hãy sửa mẫu hoặc tiêu đề học liệu.', 'The YouTube title is empty once the channel\'s title template is applied; fix the template or the material title.'],
  TOO_MANY_ATTEMPTS: [429, 'Đăng nhập sai quá nhiều lần. Thử lại sau {seconds} giây.', 'Too many failed sign-ins. Try again in {seconds} seconds.'],
  INTERNAL: [500, 'Lỗi hệ thống. Vui lòng thử lại sau.', 'Internal error. Please try again later.'],
  NOT_READY: [503, 'Hệ thống chưa sẵn sàng.', 'The service is not ready.'],
} as const satisfies Record<string, readonly [number, string, string]>;

export type ErrorCode = keyof typeof CATALOGUE;
export type Language = 'vi' | 'en';

/** Names of things, for NOT_FOUND and similar messages. */
const RESOURCE_NAMES: Record<string, [string, string]> = {
  material: ['học liệu', 'Material'],
  file: ['tệp', 'File'],
  upload: ['phiên tải lên', 'Upload'],
  org: ['đơn vị', 'Organisation'],
  user: ['người dùng', 'User'],
  task: ['nhiệm vụ thẩm định', 'Review task'],
  collection: ['bộ sưu tập', 'Collection'],
  route: ['đường dẫn', 'Route'],
  job: ['tác vụ nền', 'Job'],
  test: ['đề kiểm tra', 'Test'],
  variant: ['mã đề', 'Test variant'],
  channel: ['kênh', 'Channel'],
  export: ['lượt xuất bản lên YouTube', 'YouTube export'],
  slot: ['lịch phát sóng', 'Broadcast slot'],
  notification: ['thông báo', 'Notification'],
  attempt: ['lượt học', 'Attempt'],
  document: ['bản xem trước tài liệu', 'Document preview'],
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.status = CATALOGUE[code][0];
  }

  static notFound(resource: keyof typeof RESOURCE_NAMES) {
    return new AppError('NOT_FOUND', { resource });
  }

  describe(lang: Language): string {
    const template = CATALOGUE[this.code][lang === 'en' ? 2 : 1];
    return template.replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = this.params[key];
      if (key === 'resource' && typeof value === 'string' && RESOURCE_NAMES[value]) return RESOURCE_NAMES[value][lang === 'en' ? 1 : 0];
      return value === undefined ? '' : String(value);
    });
  }
}

export function languageOf(acceptLanguage: string | undefined): Language {
  return acceptLanguage && /^\s*en\b/i.test(acceptLanguage) ? 'en' : 'vi';
}
