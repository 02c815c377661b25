import type { ComponentChildren } from 'preact';

/** The hidden CSRF field every form that changes something carries (src/web/csrf.ts checks it). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export interface TextFieldProps {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'password' | 'search' | 'email' | 'number';
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
  const described = [props.hint ? `${id}-goi-y` : null, props.error ? `${id}-loi` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint ? <p class="hint" id={`${id}-goi-y`}>{props.hint}</p> : null}
      <input
        // Preact types each input type's attributes apart; one literal keeps them checked for a text-like input.
        id={id} name={props.name} type={(props.type ?? 'text') as 'text'} value={props.value ?? ''} required={props.required}
        autocomplete={props.autocomplete} aria-invalid={props.error ? 'true' : undefined} aria-describedby={described}
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
  options: Array<{ value: string; label: string }>;
  error?: string;
  id?: string;
}

export function SelectField(props: SelectFieldProps) {
  const id = props.id ?? `truong-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? `${id}-loi` : undefined}>
        {props.emptyLabel !== undefined ? <option value="">{props.emptyLabel}</option> : null}
        {props.options.map((option) => <option value={option.value} selected={option.value === props.value}>{option.label}</option>)}
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
