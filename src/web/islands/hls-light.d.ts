// hls.js publishes its light build (no subtitles, EME or alternate audio: the pages need none) without types of its own.
declare module 'hls.js/light' {
  export { default } from 'hls.js';
}
