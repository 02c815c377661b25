/**
 * The video player island. The page already plays without it: the <video> lists the HLS master
 * playlist first (Safari and other native HLS players take it) and the MP4 after (everyone else).
 * Where HLS is not native but Media Source Extensions are, hls.js is fetched only when the viewer
 * presses play, so a page costs no player bytes until then. The low-data choice plays the lowest rung.
 */
const HLS_TYPE = 'application/vnd.apple.mpegurl';

/** The URI of the variant with the smallest BANDWIDTH in a master playlist, resolved against it. */
function lowestVariant(master: string, masterUrl: string): string | null {
  let lowest: { bandwidth: number; uri: string } | null = null;
  const lines = master.split('\n').map((line) => line.trim());
  lines.forEach((line, index) => {
    const match = /^#EXT-X-STREAM-INF:.*?\bBANDWIDTH=(\d+)/.exec(line);
    const uri = lines[index + 1];
    if (match && uri && !uri.startsWith('#') && (!lowest || Number(match[1]) < lowest.bandwidth)) lowest = { bandwidth: Number(match[1]), uri };
  });
  return lowest ? new URL((lowest as { uri: string }).uri, new URL(masterUrl, location.href)).href : null;
}

function setUp(video: HTMLVideoElement): void {
  const master = video.dataset.hls!;
  const native = video.canPlayType(HLS_TYPE) !== '';
  const lowData = video.parentElement?.querySelector<HTMLInputElement>('[data-low-data] input');
  let source = master;
  let hls: { loadSource(url: string): void; attachMedia(media: HTMLMediaElement): void; destroy(): void } | null = null;
  let started = false;

  async function play(url: string): Promise<void> {
    const at = video.currentTime;
    if (native) {
      video.src = url;
    } else {
      const { default: Hls } = await import('hls.js/light');
      if (!Hls.isSupported()) return; // the MP4 source keeps playing
      hls?.destroy();
      const player = new Hls({ startPosition: at });
      hls = player;
      player.loadSource(url);
      player.attachMedia(video);
    }
    video.currentTime = at;
    await video.play().catch(() => undefined);
  }

  if (!native && 'MediaSource' in window) {
    video.addEventListener('play', () => {
      if (started) return;
      started = true;
      video.pause();
      void play(source);
    });
  }
  if (lowData) {
    lowData.closest<HTMLElement>('[data-low-data]')!.hidden = false;
    lowData.addEventListener('change', async () => {
      if (lowData.checked) {
        const text = await fetch(master).then((response) => response.text()).catch(() => '');
        source = lowestVariant(text, master) ?? master;
      } else {
        source = master;
      }
      if (started || native) {
        started = true;
        await play(source);
      }
    });
  }
}

document.querySelectorAll<HTMLVideoElement>('video[data-hls]').forEach(setUp);
