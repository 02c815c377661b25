/** Queue names the service enqueues on, apart from the job classes: the jobs import the service, not the other way round. */
export const SEND_NOTIFICATION_EMAIL_QUEUE = 'notifications.send-email';
