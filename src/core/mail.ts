import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from './config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Outgoing e-mail over SMTP (SMTP_URL): the one place that speaks to a mail server. */
export class Mailer {
  private readonly transport: Transporter;

  constructor(private readonly settings: NonNullable<Config['mail']>) {
    this.transport = nodemailer.createTransport(settings.smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.settings.from, to: message.to, subject: message.subject, text: message.text });
  }

  close(): void {
    this.transport.close();
  }
}
