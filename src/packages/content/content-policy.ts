/**
 * What the content origin lets a package do. Packages are other people's code: authoring tools
 * (iSpring, Captivate, ActivePresenter) write inline scripts and eval, so those are allowed — on
 * this origin, which holds nothing of the app's. What they may not do is reach anywhere else:
 * every fetch, image, frame, form and font stays on this origin (`connect-src 'self'` and the
 * rest), and only the app (and, for the SCO inside the wrapper, this origin) may frame them.
 */
export function packageFilePolicy(appOrigin: string): string {
  return [
    "default-src 'self' data: blob:", "script-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:", "style-src 'self' 'unsafe-inline' data: blob:",
    "img-src 'self' data: blob:", "media-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "frame-src 'self' data: blob:",
    "worker-src 'self' blob:", "object-src 'none'", "form-action 'self'", "base-uri 'self'",
    // The SCO runs in a frame of the wrapper, itself in the app's page: every ancestor must be listed.
    `frame-ancestors 'self' ${appOrigin}`,
  ].join('; ');
}

/** The wrapper page is ours: our scripts only, framed by the app only. */
export function wrapperPolicy(appOrigin: string): string {
  return [
    "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
    "frame-src 'self'", "base-uri 'none'", "form-action 'none'", `frame-ancestors ${appOrigin}`,
  ].join('; ');
}

/** Powerful features a lesson has no business asking for from inside the portal. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), display-capture=()';
