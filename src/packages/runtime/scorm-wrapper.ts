import { Scorm12API, Scorm2004API } from 'scorm-again';

/**
 * The SCORM wrapper page's script, on the content origin: puts scorm-again's API object where the
 * SCO looks for it (`window.API`, `window.API_1484_11`, up its parents), loads the learner's saved
 * data into it, and only then starts the SCO in the child frame, so that it resumes. Each commit
 * and the finish send what the server keeps to the token-checked endpoint of this origin.
 */
interface Settings {
  version: '1.2' | '2004';
  launchUrl: string;
  commitUrl: string | null;
  resume: Record<string, unknown> | null;
}

interface Cmi12 { core: { lesson_status: string; lesson_location: string; score: { raw: string } }; suspend_data: string; getCurrentTotalTime(): string }
interface Cmi2004 { completion_status: string; success_status: string; location: string; score: { raw: string; scaled: string }; suspend_data: string; getCurrentTotalTime(): string }

const settings = JSON.parse(document.getElementById('scorm-settings')!.textContent!) as Settings;
// scorm-again sends nothing itself: commits are ours, below.
const options = { autocommit: false, lmsCommitUrl: false, logLevel: 5 as const };
const api = settings.version === '1.2' ? new Scorm12API(options) : new Scorm2004API(options);
if (settings.resume) api.loadFromJSON(settings.resume, '');

function payload(): Record<string, string> {
  if (settings.version === '1.2') {
    const cmi = (api as unknown as { cmi: Cmi12 }).cmi;
    return {
      version: '1.2', lessonStatus: cmi.core.lesson_status, scoreRaw: cmi.core.score.raw, location: cmi.core.lesson_location,
      suspendData: cmi.suspend_data, totalTime: cmi.getCurrentTotalTime(),
    };
  }
  const cmi = (api as unknown as { cmi: Cmi2004 }).cmi;
  return {
    version: '2004', completionStatus: cmi.completion_status, successStatus: cmi.success_status, scoreRaw: cmi.score.raw, scoreScaled: cmi.score.scaled,
    location: cmi.location, suspendData: cmi.suspend_data, totalTime: cmi.getCurrentTotalTime(),
  };
}

let lastSent = '';
function send(): void {
  if (!settings.commitUrl) return;
  const body = JSON.stringify(payload());
  if (body === lastSent) return;
  lastSent = body;
  // keepalive lets the last commit outlive the page; browsers cap keepalive bodies at 64 KB.
  void fetch(settings.commitUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body, keepalive: body.length < 60_000, credentials: 'omit' })
    .catch(() => { lastSent = ''; });
}

const events = settings.version === '1.2' ? ['LMSCommit', 'LMSFinish'] : ['Commit', 'Terminate'];
for (const event of events) api.on(event, send);
addEventListener('pagehide', send);

const global = window as unknown as Record<string, unknown>;
global[settings.version === '1.2' ? 'API' : 'API_1484_11'] = api;
(document.getElementById('sco') as HTMLIFrameElement).src = settings.launchUrl;
