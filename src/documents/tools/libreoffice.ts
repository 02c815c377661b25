import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runTool, ToolError, type ToolLimits } from './run-tool.js';
import { SANDBOX_JOB_DIR, sandboxArgs } from './sandbox.js';

/**
 * Fonts for Vietnamese. Office documents name Microsoft's fonts; the metric-compatible free ones
 * (Liberation for Times New Roman and Arial, Carlito for Calibri) cover Vietnamese, but Caladea,
 * Cambria's usual stand-in, drops the tone marks of precomposed letters ("tốc" prints "tôc"): it
 * is refused, and Cambria maps to Noto Serif, which has them all.
 */
export const FONTS_CONF = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><pattern><patelt name="family"><string>Caladea</string></patelt></pattern></rejectfont></selectfont>
  <match target="pattern">
    <test qual="any" name="family"><string>Cambria</string></test>
    <edit name="family" mode="assign" binding="strong"><string>Noto Serif</string></edit>
  </match>
  <match target="pattern">
    <test qual="any" name="family"><string>Cambria Math</string></test>
    <edit name="family" mode="assign" binding="strong"><string>Noto Serif</string></edit>
  </match>
</fontconfig>
`;

/**
 * What every job's profile says beyond LibreOffice's defaults: no macros ever (highest security
 * level, execution disabled), linked pictures and files from untrusted places blocked, links
 * never updated, no locking, no first-start or update checks. They do not stop LibreOffice 7.4
 * fetching a picture an ODF file links (measured: it does, even with a dead proxy configured):
 * only the sandbox's empty network namespace does, hence DOCUMENT_SANDBOX=required by default.
 */
const PROFILE_ITEMS = [
  ['/org.openoffice.Office.Common/Security/Scripting', 'MacroSecurityLevel', 'int', '3'],
  ['/org.openoffice.Office.Common/Security/Scripting', 'DisableMacrosExecution', 'boolean', 'true'],
  ['/org.openoffice.Office.Common/Security/Scripting', 'BlockUntrustedRefererLinks', 'boolean', 'true'],
  ['/org.openoffice.Office.Writer/Content/Update', 'Link', 'int', '2'],
  ['/org.openoffice.Office.Calc/Content/Update', 'Link', 'int', '1'],
  ['/org.openoffice.Office.Common/Misc', 'UseLocking', 'boolean', 'false'],
  ['/org.openoffice.Office.Common/Misc', 'FirstRun', 'boolean', 'false'],
  ['/org.openoffice.Office.Common/Misc', 'ShowTipOfTheDay', 'boolean', 'false'],
  ['/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job[\'UpdateCheck\']/Arguments', 'AutoCheckEnabled', 'boolean', 'false'],
] as const;

const profileXml = () => PROFILE_ITEMS.map(([item, prop, type, value]) =>
  `<item oor:path="${item}"><prop oor:name="${prop}" oor:op="fuse" oor:type="xs:${type}"><value>${value}</value></prop></item>`).join('\n');

export interface ConvertOptions {
  soffice: string;
  sandbox: boolean;
  limits: ToolLimits;
}

/**
 * LibreOffice headless, one process per conversion, each with its own profile: two conversions
 * sharing a profile fail silently, and a fresh profile makes the first run restart (exit 81).
 * The template is built once per process and copied into each job's folder.
 */
export class LibreOffice {
  private template: Promise<string> | null = null;

  constructor(private readonly options: ConvertOptions) {}

  private async buildTemplate(): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-lo-template-'));
    const profile = path.join(dir, 'profile');
    await runTool(this.options.soffice, [`-env:UserInstallation=file://${profile}`, '--headless', '--terminate_after_init'], this.options.limits, { tool: 'LibreOffice', env: { ...process.env, HOME: dir } });
    const registry = path.join(profile, 'user', 'registrymodifications.xcu');
    const current = await fs.readFile(registry, 'utf8').catch(() => '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n</oor:items>\n');
    await fs.writeFile(registry, current.replace('</oor:items>', `${profileXml()}\n</oor:items>`));
    await fs.writeFile(path.join(dir, 'fonts.conf'), FONTS_CONF);
    return dir;
  }

  private templateDir(): Promise<string> {
    this.template ??= this.buildTemplate().catch((error) => { this.template = null; throw error; });
    return this.template;
  }

  /** Converts `input` (inside `jobDir`) to PDF; returns the PDF's path. */
  async toPdf(jobDir: string, input: string): Promise<string> {
    const template = await this.templateDir();
    await fs.cp(path.join(template, 'profile'), path.join(jobDir, 'profile'), { recursive: true });
    await fs.copyFile(path.join(template, 'fonts.conf'), path.join(jobDir, 'fonts.conf'));
    await fs.mkdir(path.join(jobDir, 'out'));
    const inside = this.options.sandbox ? SANDBOX_JOB_DIR : jobDir;
    const env = { HOME: inside, PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', FONTCONFIG_FILE: `${inside}/fonts.conf`, SAL_USE_VCLPLUGIN: 'svp' };
    const args = [
      `-env:UserInstallation=file://${inside}/profile`, '--headless', '--invisible', '--nologo', '--norestore', '--nodefault', '--nolockcheck',
      '--convert-to', 'pdf', '--outdir', `${inside}/out`, `${inside}/${path.basename(input)}`,
    ];
    const { stderr } = this.options.sandbox
      ? await runTool('bwrap', sandboxArgs(jobDir, [this.options.soffice, ...args], env, programFolder(this.options.soffice)), this.options.limits, { tool: 'LibreOffice' })
      : await runTool(this.options.soffice, args, this.options.limits, { tool: 'LibreOffice', env, cwd: jobDir });
    const pdf = path.join(jobDir, 'out', `${path.parse(input).name}.pdf`);
    const made = await fs.stat(pdf).then((s) => s.size > 0, () => false);
    // LibreOffice exits 0 when it cannot load a file; only the missing output tells.
    if (!made) throw new ToolError('LibreOffice could not open the file', 'failed', 'LibreOffice', stderr.trim());
    return pdf;
  }
}

/** A soffice configured outside /usr (SOFFICE_PATH) is made visible in the sandbox, read-only. */
function programFolder(soffice: string): string[] {
  return path.isAbsolute(soffice) && !soffice.startsWith('/usr/') ? [path.dirname(soffice)] : [];
}
