import type { ComponentChildren } from 'preact';

/** The hidden CSRF field every form that changes something carries (src/web/csrf.ts checks it). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export interface TextFieldProps {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'password' | 'search' | 'email' | 'number' | 'date' | 'time';
  /** The Vietnamese message shown under the field when it was refused. */
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  id?: string;
}

/** A labelled input; its error and hint are tied to it for screen readers. */
export function TextField(props: TextFieldProps) {
  const id = props.id ?? `truong-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint ? <p class="hint" id={`${id}-goi-y`}>{props.hint}</p> : null}
      <input
        // Preact types each input type's attributes apart; one literal keeps them checked for a text-like input.
        id={id} name={props.name} type={(props.type ?? 'text') as 'text'} value={props.value ?? ''} required={props.required}
        autocomplete={props.autocomplete} aria-invalid={props.error ? 'true' : undefined} aria-describedby={describedBy(id, props)}
      />
      {props.error ? <p class="field-error" id={`${id}-loi`}>{props.error}</p> : null}
    </div>
  );
}

export interface SelectFieldProps {
  name: string;
  label: string;
  value?: string;
  /** The first, empty choice (`Tất cả`), if the field may stay unset. */
  emptyLabel?: string;
  options: Array<{ value: string; label: string; data?: Record<string, string> }>;
  error?: string;
  hint?: string;
  required?: boolean;
  id?: string;
}

export function SelectField(props: SelectFieldProps) {
  const id = props.id ?? `truong-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint ? <p class="hint" id={`${id}-goi-y`}>{props.hint}</p> : null}
      <select id={id} name={props.name} required={props.required} aria-invalid={props.error ? 'true' : undefined} aria-describedby={describedBy(id, props)}>
        {props.emptyLabel !== undefined ? <option value="">{props.emptyLabel}</option> : null}
        {props.options.map((option) => <option value={option.value} selected={option.value === props.value} {...dataAttributes(option.data)}>{option.label}</option>)}
      </select>
      {props.error ? <p class="field-error" id={`${id}-loi`}>{props.error}</p> : null}
    </div>
  );
}

export function Button({ children, name, value }: { children: ComponentChildren; name?: string; value?: string }) {
  return <button type="submit" class="button" name={name} value={value}>{children}</button>;
}

/** The form-wide refusal, announced to screen readers as soon as the page shows it. */
export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return <p class="form-error" role="alert">{message}</p>;
}

/** The ids of a field's hint and error, for aria-describedby. */
function describedBy(id: string, props: { hint?: string; error?: string }): string | undefined {
  return [props.hint ? `${id}-goi-y` : null, props.error ? `${id}-loi` : null].filter(Boolean).join(' ') || undefined;
}

/** `{ level: 'thcs' }` → `data-level="thcs"`: what an island reads (dependent selects). */
function dataAttributes(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [`data-${key}`, value]));
}

export function TextArea(props: { name: string; label: string; value?: string; error?: string; hint?: string; rows?: number; maxLength?: number }) {
  const id = `truong-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint ? <p class="hint" id={`${id}-goi-y`}>{props.hint}</p> : null}
      <textarea id={id} name={props.name} rows={props.rows ?? 5} maxLength={props.maxLength} aria-invalid={props.error ? 'true' : undefined} aria-describedby={describedBy(id, props)}
        value={props.value ?? ''} />
      {props.error ? <p class="field-error" id={`${id}-loi`}>{props.error}</p> : null}
    </div>
  );
}

export interface ChoiceOption { value: string; label: string; hint?: string; data?: Record<string, string> }

/** Checkboxes (several values) or radio buttons (one) in a fieldset whose legend is the label. */
export function ChoiceGroup(props: { name: string; legend: string; type: 'checkbox' | 'radio'; values: string[]; options: ChoiceOption[]; error?: string; hint?: string }) {
  const id = `truong-${props.name}`;
  return (
    <fieldset class="field choices" id={id} aria-describedby={describedBy(id, props)}>
      <legend>{props.legend}</legend>
      {props.hint ? <p class="hint" id={`${id}-goi-y`}>{props.hint}</p> : null}
      {props.options.map((option) => (
        <div class="choice" {...dataAttributes(option.data)}>
          <input type={props.type} id={`${id}-${option.value}`} name={props.name} value={option.value} checked={props.values.includes(option.value)}
            aria-describedby={option.hint ? `${id}-${option.value}-giai-thich` : undefined} />
          <label for={`${id}-${option.value}`}>{option.label}</label>
          {option.hint ? <p class="hint" id={`${id}-${option.value}-giai-thich`}>{option.hint}</p> : null}
        </div>
      ))}
      {props.error ? <p class="field-error" id={`${id}-loi`}>{props.error}</p> : null}
    </fieldset>
  );
}

/**
 * An action that cannot be taken back (archive, delete a file), confirmed in the page without
 * script: the first button only opens the question, the second posts the form.
 */
export function ConfirmAction(props: { action: string; csrfToken: string; label: string; question: string; confirmLabel: string }) {
  return (
    <details class="confirm">
      <summary class="button secondary">{props.label}</summary>
      <form method="post" action={props.action}>
        <CsrfField token={props.csrfToken} />
        <p>{props.question}</p>
        <button type="submit" class="button danger">{props.confirmLabel}</button>
      </form>
    </details>
  );
}
